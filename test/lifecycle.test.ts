/**
 * The process lifecycle: data survives restarts (Postgres and PGlite on disk), /readyz follows
 * Postgres, SIGTERM shuts down in order within 10 s closing WebSockets with 1001.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ok } from './helpers/graphql';
import { createTestDatabase, type TestDatabase } from './helpers/postgres';
import { createPromptWith } from './helpers/seed';
import { ADMIN_KEY, spawnServer, startServer } from './helpers/server';
import { startTcpProxy } from './helpers/tcp-proxy';
import { wsClient } from './helpers/ws';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

test('Postgres: prompts, versions and labels survive a restart of the server', async () => {
  const first = await startServer({ databaseUrl: db.url });
  await createPromptWith(first.url, ADMIN_KEY, 'persist', 'v1');
  await ok(first.url, ADMIN_KEY, 'mutation { createVersion(input: { promptName: "persist", template: "v2", labels: ["production"] }) { number } }');
  await first.stop();
  const second = await startServer({ databaseUrl: db.url });
  try {
    const d = await ok(second.url, ADMIN_KEY, '{ prompt(name: "persist") { revision versions { number } } resolvePrompt(name: "persist") { text } }');
    expect(d.prompt).toEqual({ revision: 3, versions: [{ number: 2 }, { number: 1 }] });
    expect(d.resolvePrompt.text).toBe('v2');
  } finally {
    await second.stop();
  }
});

test('PGlite on disk (DATA_DIR): data survives a restart of the process', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-data-'));
  try {
    const a = await spawnServer({ DATA_DIR: dir });
    await createPromptWith(a.url, ADMIN_KEY, 'on-disk', 'kept');
    expect(await a.kill('SIGTERM')).toMatchObject({ code: 0 });
    const b = await spawnServer({ DATA_DIR: dir });
    try {
      const d = await ok(b.url, ADMIN_KEY, '{ resolvePrompt(name: "on-disk") { text versionNumber } }');
      expect(d.resolvePrompt).toEqual({ text: 'kept', versionNumber: 1 });
    } finally {
      await b.kill();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);

test('without ADMIN_API_KEY the first start creates an admin key and logs it once', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-data-'));
  try {
    const a = await spawnServer({ DATA_DIR: dir, ADMIN_API_KEY: '' });
    const key = /first admin key (pm_live_\S+)/.exec(a.output())?.[1];
    expect(key).toBeDefined();
    expect((await ok(a.url, key!, '{ me { role isInstanceAdmin } }')).me).toEqual({ role: 'ADMIN', isInstanceAdmin: true });
    await a.kill();
    const b = await spawnServer({ DATA_DIR: dir, ADMIN_API_KEY: '' });
    expect(b.output()).not.toMatch(/first admin key/);
    expect((await ok(b.url, key!, '{ me { role } }')).me.role).toBe('ADMIN');
    await b.kill();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);

test('/healthz answers while the process lives; /readyz is 503 while Postgres is unreachable, 200 again after', async () => {
  const proxy = await startTcpProxy(5432);
  const url = db.url.replace('127.0.0.1:5432', `127.0.0.1:${proxy.port}`);
  const server = await startServer({ databaseUrl: url });
  const base = server.url.replace('/graphql', '');
  try {
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    proxy.cut();
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // A query while the database is down is a retriable UNAVAILABLE, with no driver detail.
    const r = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer pm_live_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEF_00000000' },
      body: '{"query":"{ prompts { totalCount } }"}',
    });
    expect(await r.text()).not.toMatch(/ECONN|postgres|127\.0\.0\.1/);
    proxy.restore();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await fetch(`${base}/readyz`)).status;
      if (status !== 200) await new Promise((res) => setTimeout(res, 100));
    }
    expect(status).toBe(200);
  } finally {
    await server.stop();
    await proxy.close();
  }
});

test('SIGTERM: readiness off, sockets closed with 1001, exit 0 within 10 s', async () => {
  const proc = await spawnServer({ DATABASE_URL: db.url });
  let closeCode = 0;
  const client = wsClient(proc.url, ADMIN_KEY, { onClose: (code) => (closeCode = code) });
  const events: unknown[] = [];
  client.subscribe({ query: 'subscription { promptChanged { revision } }' }, { next: (v) => void events.push(v), error: () => {}, complete: () => {} });
  // Wait until the socket is open and acknowledged.
  await new Promise<void>((resolve) => {
    const off = client.on('connected', () => {
      off();
      resolve();
    });
  });
  const started = Date.now();
  const exit = await proc.kill('SIGTERM');
  expect(exit.code).toBe(0);
  expect(Date.now() - started).toBeLessThan(10_000);
  // The close frame was sent before exit, but the two reach this process on different channels.
  for (let i = 0; i < 50 && closeCode === 0; i++) await new Promise((r) => setTimeout(r, 20));
  expect(closeCode).toBe(1001);
  // Each step is logged (lines may interleave in the pipe, so presence, not order, is checked here).
  for (const step of ['http drained', 'websockets closed (1001)', 'pubsub closed', 'database closed']) expect(proc.output()).toContain(`shutdown: ${step}`);
  await client.dispose();
}, 60_000);
