/** Include references (`{{> name}}`, `@label`, `#version`): parsing, keys, listing, and the cycle/depth errors. Imports nothing of templates/ (parser and usage depend on it). */
import { BadInputError } from '../errors';
import type { CompiledTemplate, IncludeRef } from './types';

export const PROMPT_NAME_RE = /^[a-z0-9][a-z0-9._/-]{0,127}$/;
export const LABEL_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** Includes may nest this deep (the including template is depth 0). */
export const MAX_INCLUDE_DEPTH = 5;

const REF_RE = /^([^@#\s]+)(?:@([^@#\s]+)|#(\d+))?$/;

/** Parses `name`, `name@label` or `name#3`; `null` when it is not a valid reference. */
export function parseIncludeRef(text: string): IncludeRef | null {
  const m = REF_RE.exec(text);
  if (!m) return null;
  const [, name, label, version] = m;
  if (name === undefined || !PROMPT_NAME_RE.test(name)) return null;
  if (label !== undefined) return LABEL_RE.test(label) ? { name, label } : null;
  if (version !== undefined) {
    const n = Number(version);
    return Number.isSafeInteger(n) && n >= 1 && !version.startsWith('0') ? { name, version: n } : null;
  }
  return { name };
}

/** Canonical string form of a reference (`name`, `name@label`, `name#3`): a Map key and what messages show. */
export function includeRefKey(ref: IncludeRef): string {
  if (ref.label !== undefined) return `${ref.name}@${ref.label}`;
  if (ref.version !== undefined) return `${ref.name}#${ref.version}`;
  return ref.name;
}

/** The distinct include references of one or more templates, in order of first appearance. */
export function listIncludes(...templates: ReadonlyArray<CompiledTemplate | null | undefined>): IncludeRef[] {
  const seen = new Set<string>();
  const out: IncludeRef[] = [];
  for (const t of templates) {
    for (const ref of t?.includes ?? []) {
      const key = includeRefKey(ref);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(ref);
      }
    }
  }
  return out;
}

export function includeCycleError(chain: readonly string[]): BadInputError {
  return new BadInputError('template', `Include cycle: ${chain.join(' > ')}.`, { chain: [...chain] });
}

export function includeDepthError(chain: readonly string[]): BadInputError {
  return new BadInputError('template', `Includes are nested deeper than ${MAX_INCLUDE_DEPTH} levels: ${chain.join(' > ')}.`, { chain: [...chain] });
}
