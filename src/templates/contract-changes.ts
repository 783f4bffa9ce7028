/** Human-readable differences between two versions' variable contracts (shown when a new version is created). */
import type { VariableDeclaration } from './types';
import { hasDefault, isEffectivelyRequired } from './variables';

const q = (s: string): string => JSON.stringify(s);

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * One line per change, e.g. `added required variable "ticket" (STRING)`, `removed variable "tone"`,
 * `changed type of "n" from STRING to NUMBER`, `"x" became required`, `enum values of "tone" changed: removed
 * "formal"`. "Required" means effectively required (required and no default): what a caller must now pass.
 * Empty when nothing changed or when there is no previous contract.
 */
export function contractChanges(previous: readonly VariableDeclaration[] | null, next: readonly VariableDeclaration[]): string[] {
  if (previous === null) return [];
  const before = new Map(previous.map((d) => [d.name, d]));
  const after = new Set(next.map((d) => d.name));
  const lines: string[] = [];
  for (const d of next) {
    const old = before.get(d.name);
    if (!old) {
      lines.push(`added ${isEffectivelyRequired(d) ? 'required' : 'optional'} variable ${q(d.name)} (${d.type})`);
      continue;
    }
    if (old.type !== d.type) lines.push(`changed type of ${q(d.name)} from ${old.type} to ${d.type}`);
    else if (d.type === 'ENUM') {
      const was = old.values ?? [];
      const now = d.values ?? [];
      const added = now.filter((v) => !was.includes(v));
      const removed = was.filter((v) => !now.includes(v));
      const parts = [...(removed.length ? [`removed ${removed.map(q).join(', ')}`] : []), ...(added.length ? [`added ${added.map(q).join(', ')}`] : [])];
      if (parts.length) lines.push(`enum values of ${q(d.name)} changed: ${parts.join('; ')}`);
    }
    const wasRequired = isEffectivelyRequired(old);
    const isRequired = isEffectivelyRequired(d);
    if (!wasRequired && isRequired) lines.push(`${q(d.name)} became required`);
    if (wasRequired && !isRequired) lines.push(`${q(d.name)} became optional`);
    if (hasDefault(old) && !hasDefault(d)) lines.push(`default of ${q(d.name)} removed (was ${show(old.default)})`);
    else if (!hasDefault(old) && hasDefault(d)) lines.push(`default of ${q(d.name)} set to ${show(d.default)}`);
    else if (hasDefault(old) && !sameJson(old.default, d.default)) {
      lines.push(`default of ${q(d.name)} changed from ${show(old.default)} to ${show(d.default)}`);
    }
  }
  for (const d of previous) if (!after.has(d.name)) lines.push(`removed variable ${q(d.name)}`);
  return lines;
}
