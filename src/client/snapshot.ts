/**
 * The snapshot file: the last good copy of every held prompt, read once at start (so a restarting
 * service has prompts before the server answers) and rewritten atomically (temp file + rename, so a
 * crash mid-write never leaves a torn file) after each successful fetch; writes are coalesced.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WirePrompt } from './types';

const FORMAT = 1;

/** The prompts of a snapshot file; none when it is missing, unreadable or of another format (never throws). */
export function readSnapshot(file: string, onError: (e: Error) => void): WirePrompt[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onError(err as Error);
    return [];
  }
  try {
    const parsed = JSON.parse(text) as { format?: number; prompts?: unknown };
    if (parsed.format !== FORMAT || !Array.isArray(parsed.prompts)) throw new Error(`snapshot ${file} has an unknown format`);
    return (parsed.prompts as WirePrompt[]).filter((p) => typeof p?.name === 'string' && Number.isInteger(p.revision) && Array.isArray(p.versions));
  } catch (err) {
    onError(err as Error);
    return [];
  }
}

/** A writer that never runs two writes at once and always ends with the latest state. */
export function createSnapshotWriter(file: string, current: () => WirePrompt[], onError: (e: Error) => void) {
  let running: Promise<void> | null = null;
  let again = false;
  let seq = 0;

  async function writeOnce(): Promise<void> {
    const tmp = `${file}.${process.pid}.${++seq}.tmp`;
    try {
      // A snapshot folder that does not exist yet is created (a missing one used to make every write fail).
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(tmp, JSON.stringify({ format: FORMAT, savedAt: new Date().toISOString(), prompts: current() }));
      await rename(tmp, file);
    } catch (err) {
      onError(err as Error);
    }
  }

  function save(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await writeOnce();
      } while (again);
      running = null;
    })();
    return running;
  }

  return { save, idle: () => running ?? Promise.resolve() };
}
