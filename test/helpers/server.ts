/**
 * Test servers: the real app in-process on port 0 (Postgres or PGlite), or a real second process
 * (`node --import tsx src/main.ts`) for multi-instance and shutdown tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { migratedPgliteTemplate } from './pglite-template';

export const ADMIN_KEY = 'test-admin-key-0123456789';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROOT = path.resolve(__dirname, '../..');

export type TestServer = { url: string; port: number; adminKey: string; app: App; logs: string[]; stop(): Promise<void> };

/** Starts the app in this process. `databaseUrl` omitted: in-memory PGlite from the migrated template. */
export async function startServer(
  options: { databaseUrl?: string; redis?: boolean; env?: Record<string, string>; onQuery?: (sql: string) => void } = {},
): Promise<TestServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_API_KEY: ADMIN_KEY,
    DATABASE_URL: options.databaseUrl ?? 'memory:',
    ...(options.redis ? { REDIS_URL } : {}),
    LOG_LEVEL: 'info',
    ...options.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const app = await createApp(config, {
    logger: createLogger('info', sink),
    database: { ...(options.databaseUrl ? {} : { pgliteLoadDataDir: await migratedPgliteTemplate() }), onQuery: options.onQuery },
  });
  return { url: app.url, port: app.port, adminKey: ADMIN_KEY, app, logs, stop: () => app.stop() };
}

export type ServerProcess = {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** Starts a real server process and waits until it serves. */
export async function spawnServer(env: Record<string, string>, timeoutMs = 30_000, nodeArgs: string[] = []): Promise<ServerProcess> {
  // PM_SERVER_ENTRY=dist runs the compiled build (benchmarks); tests run the sources through tsx.
  const entry = process.env.PM_SERVER_ENTRY === 'dist' ? [path.join(ROOT, 'dist/main.js')] : ['--import', 'tsx', path.join(ROOT, 'src/main.ts')];
  const args = [...nodeArgs, ...entry];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', HOST: '127.0.0.1', ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    // A server that did not start in time is killed: left running, its pipes would keep the test process alive.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const check = () => {
      const m = /"port":(\d+),[^\n]*"msg":"serving"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited before serving:\n${out}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    child,
    output: () => out,
    exited,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
