/**
 * `prompts.lock.json`, beside the `prompts/` folder: per prompt, the version the files were last synced with
 * (id, number, the prompt's revision, the content hash), and where `typegen` wrote its types. Deterministic
 * JSON (sorted keys, 2 spaces, final newline) so it diffs cleanly in review. Pure: no I/O.
 */
export type LockEntry = { versionId: string; number: number; revision: number; hash: string };
export type Lockfile = { lockfileVersion: 1; typesOut: string | null; prompts: Record<string, LockEntry> };

export const LOCKFILE = 'prompts.lock.json';

export function emptyLock(): Lockfile {
  return { lockfileVersion: 1, typesOut: null, prompts: {} };
}

export function serializeLock(lock: Lockfile): string {
  const prompts = Object.fromEntries(
    Object.keys(lock.prompts)
      .sort()
      .map((name) => {
        const e = lock.prompts[name]!;
        return [name, { hash: e.hash, number: e.number, revision: e.revision, versionId: e.versionId }];
      }),
  );
  return `${JSON.stringify({ lockfileVersion: 1, prompts, typesOut: lock.typesOut }, null, 2)}\n`;
}

export function parseLock(text: string, file = LOCKFILE): Lockfile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message}).`, { cause: err });
  }
  const o = raw as Partial<Lockfile>;
  if (!o || typeof o !== 'object' || o.lockfileVersion !== 1 || typeof o.prompts !== 'object' || o.prompts === null) {
    throw new Error(`${file}: not a prompts lockfile (expected { "lockfileVersion": 1, "prompts": { … } }).`);
  }
  for (const [name, e] of Object.entries(o.prompts)) {
    if (!e || typeof e.versionId !== 'string' || typeof e.number !== 'number' || typeof e.revision !== 'number' || typeof e.hash !== 'string') {
      throw new Error(`${file}: the entry of "${name}" needs versionId, number, revision and hash.`);
    }
  }
  return { lockfileVersion: 1, typesOut: typeof o.typesOut === 'string' ? o.typesOut : null, prompts: o.prompts };
}
