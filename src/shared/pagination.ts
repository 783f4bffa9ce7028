/** Opaque Relay cursors and the `first` argument's bounds, shared by every connection. */
import { BadInputError } from '../errors';

export const MAX_PAGE_SIZE = 500;

export function assertPageSize(first: number | null | undefined, field = 'first', fallback = 50): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) throw new BadInputError(field, `"${field}" must be between 1 and ${MAX_PAGE_SIZE}.`);
  return n;
}

export function encodeCursor(kind: string, parts: string[]): string {
  return Buffer.from(JSON.stringify([kind, ...parts]), 'utf8').toString('base64url');
}

/** Rejects forged or foreign-kind cursors with BAD_USER_INPUT on `after`. */
export function decodeCursor(cursor: string, kind: string, arity: number): string[] {
  try {
    if (cursor.length > 1000) throw new Error('too long');
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === arity + 1 && parsed[0] === kind && parsed.every((p) => typeof p === 'string')) {
      return parsed.slice(1) as string[];
    }
  } catch {
    // fall through
  }
  throw new BadInputError('after', 'Invalid cursor: pass an endCursor from a previous page.');
}
