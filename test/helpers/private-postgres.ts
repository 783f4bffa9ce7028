/**
 * A private Postgres cluster (initdb into a temp folder, a free loopback port, trust auth, its socket
 * in the folder) for outage tests: restart or kill it without touching the shared Postgres on 5432.
 * initdb refuses to run as root, so as root the cluster belongs to the `postgres` system user.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis-server';

const run = promisify(execFile);

export type PrivatePostgres = {
  port: number;
  /** The `postgres` database of the cluster. */
  url: string;
  /** `pg_ctl restart -m fast` (waits until it accepts connections again). */
  restartFast(): Promise<void>;
  /** `pg_ctl stop -m immediate`: every backend killed, no shutdown checkpoint (a crash, as the server sees it). */
  stopImmediate(): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster and deletes its folder. */
  destroy(): Promise<void>;
};

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin/initdb')))
    .sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error(`no Postgres server binaries under ${root}/*/bin`);
  return path.join(root, versions[0]!, 'bin');
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-pg-'));
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    fs.chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const sh = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]) : run(path.join(bin, tool), args);
  await sh('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  // fsync off is safe for what the tests do (processes killed, never the machine); synchronous_commit stays on, or a
  // crash would lose commits the server acknowledged.
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const pgCtl = (...args: string[]) => sh('pg_ctl', ['-D', data, '-l', logFile, '-o', opts, '-t', '60', ...args]);
  await pgCtl('-w', 'start');
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restartFast: async () => void (await pgCtl('-w', '-m', 'fast', 'restart')),
    stopImmediate: async () => void (await pgCtl('-w', '-m', 'immediate', 'stop')),
    start: async () => void (await pgCtl('-w', 'start')),
    async destroy() {
      await pgCtl('-w', '-m', 'immediate', 'stop').catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
