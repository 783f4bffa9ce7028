/**
 * The embedded database folder is used by one server at a time: PGlite has no lock of its own, and two processes
 * writing one data folder corrupt it. The lock is a file in the folder, created exclusively (O_EXCL) and holding the
 * owner's pid, host and process start time. A second server refuses with "another server is using ./data (pid N)".
 * A lock whose owner is gone (a crash, SIGKILL) is stale: it is taken over under a short takeover lock, re-checked
 * there, so two servers starting at once after a crash never both take it. Released on close.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'prompt-service.lock';
/** A takeover lock older than this was left by a process that died mid-takeover (it takes milliseconds). */
const TAKEOVER_STALE_MS = 10_000;

type Owner = { pid: number; host: string; startTime: string | null; token: string };

export class DataDirInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`another server is using ${dir} (pid ${pid}): stop it, or set DATA_DIR to another folder`);
    this.name = 'DataDirInUseError';
  }
}

/** The folder as the user wrote it: relative to the working directory when inside it (`./data`). */
export function shownDir(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? `./${rel}` : dir;
}

/** Linux: the process's start time in clock ticks since boot, which tells a reused pid from the owner. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(owner: Owner): boolean {
  if (owner.host !== os.hostname()) return true; // another machine (a shared folder): never assume it is gone
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  // Alive, or not ours to signal (EPERM): the same process only if it started when the owner did.
  const now = startTimeOf(owner.pid);
  return owner.startTime === null || now === null || now === owner.startTime;
}

function readOwner(file: string): Owner | null {
  try {
    const o = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Owner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? ({ startTime: null, token: '', ...o } as Owner) : null;
  } catch {
    return null; // missing, torn or not ours: treated as stale
  }
}

function createExclusive(file: string, content: string): boolean {
  try {
    fs.writeFileSync(file, content, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

export type DataDirLock = { release(): void; tookOverFrom: number | null };

/** Locks `dir` for this process; throws DataDirInUseError when a live server holds it. */
export function lockDataDir(dir: string): DataDirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const me: Owner = { pid: process.pid, host: os.hostname(), startTime: startTimeOf(process.pid), token: randomUUID() };
  const content = `${JSON.stringify(me)}\n`;
  const release = () => {
    // Only our own lock: never remove one a later owner took over.
    if (readOwner(file)?.token === me.token) fs.rmSync(file, { force: true });
  };
  if (createExclusive(file, content)) return { release, tookOverFrom: null };

  const holder = readOwner(file);
  if (holder && isAlive(holder)) throw new DataDirInUseError(shownDir(dir), holder.pid);
  // Stale: take it over under the takeover lock, re-checking there (another starter may have taken it first).
  const takeover = `${file}.takeover`;
  try {
    if (Date.now() - fs.statSync(takeover).mtimeMs > TAKEOVER_STALE_MS) fs.rmSync(takeover, { force: true });
  } catch {
    // no takeover in progress
  }
  if (!createExclusive(takeover, content)) {
    const other = readOwner(takeover);
    throw new DataDirInUseError(shownDir(dir), other?.pid ?? holder?.pid ?? 0);
  }
  try {
    const again = readOwner(file);
    if (again && again.token !== holder?.token && isAlive(again)) throw new DataDirInUseError(shownDir(dir), again.pid);
    fs.rmSync(file, { force: true });
    if (!createExclusive(file, content)) throw new DataDirInUseError(shownDir(dir), readOwner(file)?.pid ?? 0);
  } finally {
    fs.rmSync(takeover, { force: true });
  }
  return { release, tookOverFrom: holder?.pid ?? null };
}
