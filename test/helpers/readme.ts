/** The README's blocks marked `<!-- runnable -->` (test/readme-examples.test.ts runs them; test/client/package.test.ts runs the client's). */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const MARKER = '<!-- runnable -->';
/** The import that makes a block the packed client's (run from an installed tarball, not from this checkout). */
export const CLIENT_PACKAGE = '@prompt-service/client';

export type Block = { lang: string; code: string; line: number };

/** The blocks marked runnable, in README order, with the line of their fence (for messages). */
export function runnableBlocks(readme: string): Block[] {
  const blocks: Block[] = [];
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== MARKER) continue;
    let open = i + 1; // prettier puts a blank line between the comment and the fence
    while (lines[open]?.trim() === '') open++;
    const fence = /^```(\w+)\s*$/.exec(lines[open] ?? '');
    if (!fence) throw new Error(`README line ${i + 1}: ${MARKER} must be followed by a fence with a language`);
    const end = lines.findIndex((l, j) => j > open && l.startsWith('```'));
    if (end < 0) throw new Error(`README line ${open + 1}: unclosed fence`);
    blocks.push({ lang: fence[1]!, code: lines.slice(open + 1, end).join('\n') + '\n', line: open + 1 });
    i = end;
  }
  return blocks;
}

/** This checkout's README's runnable blocks. */
export function readmeBlocks(): Block[] {
  return runnableBlocks(readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8'));
}

/** Whether a block imports the client package (those run against the packed tarball). */
export function usesClientPackage(b: Block): boolean {
  return b.code.includes(`from '${CLIENT_PACKAGE}'`);
}
