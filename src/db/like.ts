/** LIKE patterns from user text: its wildcards (`%`, `_`) and the escape character match themselves. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
