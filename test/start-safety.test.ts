/**
 * A safe start, with real server processes on the embedded database (PGlite in a temporary DATA_DIR): a busy port
 * is one clear line naming PORT (no stack); the trial default binds to loopback unless HOST says otherwise (and a
 * Postgres deployment to every interface); the first start logs the URL to open next to the key; the data folder is
 * locked — a second server refuses it with "another server is using <dir> (pid N)" — and a stale lock left by a
 * crash (SIGKILL) is taken over safely: of two servers started together after the crash, exactly one serves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { LOCK_FILE } from '../src/db/data-dir-lock';

jest.setTimeout(180_000);
const ROOT = path.resolve(__dirname, '..');

type Started = { child: ChildProcess; output: () => string; exited: Promise<number | null>; serving: Promise<number | null> };

/** Starts `node --import tsx src/main.ts` with exactly this environment (no HOST unless given). */
function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Resolves with the port once serving, or null if the process exits first.
  const serving = new Promise<number | null>((resolve) => {
    const check = () => {
      const m = /"port":(\d+),[^\n]*"msg":"serving"/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      check();
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then(() => resolve(null));
  });
  return { child, output: () => out, exited, serving };
}

const running: Started[] = [];
const dirs: string[] = [];
async function dataDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'pm-start-'));
  dirs.push(d);
  return d;
}
function track(s: Started): Started {
  running.push(s);
  return s;
}
async function stop(s: Started, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill(signal);
  await s.exited;
}
afterAll(async () => {
  await Promise.all(running.map((s) => stop(s, 'SIGKILL')));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('a busy port: the start fails with one clear line naming PORT, no stack trace', async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const s = track(start({ PORT: String(port), DATABASE_URL: 'memory:', ADMIN_API_KEY: 'k'.repeat(24) }));
    expect(await s.exited).toBe(1);
    const lines = s.output().split('\n').filter(Boolean);
    const failure = lines.filter((l) => /in use/.test(l));
    expect(failure).toEqual([`PORT ${port} is in use on 127.0.0.1 (another server?): stop it, or set PORT to a free port, e.g. PORT=${port + 1}`]);
    expect(lines.filter((l) => /^\s+at |EADDRINUSE|Error:/.test(l))).toEqual([]);
  } finally {
    blocker.close();
  }
});

test('HOST: the trial default (embedded database) is loopback, a Postgres deployment every interface, HOST wins', () => {
  expect(loadConfig({}).host).toBe('127.0.0.1');
  expect(loadConfig({ DATABASE_URL: 'memory:' }).host).toBe('127.0.0.1');
  expect(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x' }).host).toBe('0.0.0.0');
  expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
});

test('first start: loopback only, and the key is logged with the URL to open; the folder is locked while it runs', async () => {
  const dir = await dataDir();
  const port = await freePort();
  const a = track(start({ PORT: String(port), DATA_DIR: dir }));
  expect(await a.serving).toBe(port);
  const keyLine = a
    .output()
    .split('\n')
    .find((l) => l.includes('created the first admin key'));
  expect(keyLine).toMatch(new RegExp(`created the first admin key pm_live_\\S+ .*Open http://localhost:${port}/ui/ and sign in with it`));
  expect(a.output()).toMatch(/"host":"127\.0\.0\.1"[^\n]*"msg":"serving"/);
  // Listening on loopback only: a non-loopback address of this machine is refused.
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  const reachable = (host: string) =>
    new Promise<boolean>((resolve) => {
      const sock = net.connect(port, host, () => {
        sock.destroy();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
  expect(await reachable('127.0.0.1')).toBe(true);
  if (external) expect(await reachable(external)).toBe(false);

  // A second server on the same folder refuses it, naming the owner.
  expect(existsSync(path.join(dir, LOCK_FILE))).toBe(true);
  const b = track(start({ PORT: '0', DATA_DIR: dir }));
  expect(await b.exited).toBe(1);
  expect(b.output()).toContain(`another server is using ${dir} (pid ${a.child.pid})`);
  expect(b.output()).not.toMatch(/^\s+at /m);

  // A clean stop releases the lock.
  await stop(a);
  expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
});

test('a stale lock after a crash is taken over safely: of two servers started at once, exactly one serves', async () => {
  const dir = await dataDir();
  const first = track(start({ PORT: '0', DATA_DIR: dir, ADMIN_API_KEY: 'k'.repeat(24) }));
  expect(await first.serving).toEqual(expect.any(Number));
  await stop(first, 'SIGKILL'); // a crash: the lock stays behind
  expect(existsSync(path.join(dir, LOCK_FILE))).toBe(true);

  const [c, d] = [
    track(start({ PORT: '0', DATA_DIR: dir, ADMIN_API_KEY: 'k'.repeat(24) })),
    track(start({ PORT: '0', DATA_DIR: dir, ADMIN_API_KEY: 'k'.repeat(24) })),
  ];
  const results = await Promise.all([c.serving, d.serving]);
  const winner = results[0] !== null ? c : d;
  const loser = winner === c ? d : c;
  expect(results.filter((r) => r !== null)).toHaveLength(1);
  expect(await loser.exited).toBe(1);
  expect(loser.output()).toContain(`another server is using ${dir} (pid ${winner.child.pid})`);
  expect(winner.output()).toContain(`took over the lock of ${dir} left by pid ${first.child.pid}, which is no longer running`);
  // The winner serves from the recovered folder.
  const port = (await (winner === c ? c.serving : d.serving))!;
  const r = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${'k'.repeat(24)}` },
    body: JSON.stringify({ query: '{ me { role } }' }),
  });
  expect(((await r.json()) as any).data.me.role).toBe('ADMIN');
  await stop(winner);
});
