/** An audit entry's before/after as rows of paths (pure): what changed, what was added or removed. */

export type DiffRow = { path: string; before: string | null; after: string | null; kind: 'same' | 'changed' | 'added' | 'removed' };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Leaves of a JSON value by dotted path (arrays stay whole: a list reads better as one value). */
function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix || '(value)', show(value));
}

export function jsonDiff(before: unknown, after: unknown): DiffRow[] {
  const b = new Map<string, string>();
  const a = new Map<string, string>();
  if (before !== null && before !== undefined) flatten(before, '', b);
  if (after !== null && after !== undefined) flatten(after, '', a);
  const paths = [...new Set([...b.keys(), ...a.keys()])];
  return paths.map((path) => {
    const from = b.get(path) ?? null;
    const to = a.get(path) ?? null;
    const kind = from === null ? 'added' : to === null ? 'removed' : from === to ? 'same' : 'changed';
    return { path, before: from, after: to, kind };
  });
}
