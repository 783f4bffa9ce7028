/**
 * Database failures an operator can read (issue 17, item 3): a failed request's log line carries the
 * failure class, the driver's error code or the SQLSTATE, and whether the pool thought the database
 * was up; /metrics counts failures per class and shows `db_up`. Faults are real: a statement timeout
 * behind a lock held by another session, and a backend terminated while it waits.
 */
import pino from 'pino';
import postgres from 'postgres';
import { classifyDbFailure, createDbFailureMonitor } from '../../src/db/failures';
import { gql, ok } from '../helpers/graphql';
import { usePostgresServer, type TestDatabase } from '../helpers/postgres';
import { createPromptWith, newTenant } from '../helpers/seed';
import type { TestServer } from '../helpers/server';

let server: TestServer;
let db: TestDatabase;
usePostgresServer(
  (s, d) => {
    server = s;
    db = d;
  },
  { env: { DB_STATEMENT_TIMEOUT_MS: '400', CACHE_TTL_MS: '0', WEBHOOK_POLL_MS: '100', ALERT_INTERVAL_MS: '100' } },
);

const metrics = async () => (await fetch(server.url.replace('/graphql', '/metrics'))).text();
const counter = (text: string, cls: string) => Number(new RegExp(`^db_failures_total\\{class="${cls}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
const failureLines = () =>
  server.logs
    .flatMap((l) => l.split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>)
    .filter((l) => l.db);

/** Holds an ACCESS EXCLUSIVE lock on `table` from another session until `release` is called. */
async function lockTable(url: string, table: 'prompts' | 'webhook_events' | 'alerts'): Promise<{ release(): Promise<void> }> {
  const side = postgres(url, { max: 1, onnotice: () => {} });
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const tx = side.begin(async (sql) => {
    await sql.unsafe(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    locked();
    await held;
  });
  await isLocked;
  return {
    async release() {
      release();
      await tx;
      await side.end();
    },
  };
}

const PROMPT = 'query { prompt(name: "db/fault") { id revision } }';

test('a statement timeout: UNAVAILABLE to the client; logged with class, SQLSTATE 57014 and dbUp; counted', async () => {
  const t = await newTenant(server.url, server.adminKey);
  await createPromptWith(server.url, t.key, 'db/fault', 'A');
  const before = counter(await metrics(), 'timeout');
  const lock = await lockTable(db.url, 'prompts');
  try {
    const r = await gql(server.url, t.key, PROMPT);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'UNAVAILABLE', requestId: expect.any(String) });
    const line = failureLines().find((l) => l.requestId === r.errors![0]!.extensions!.requestId);
    expect(line?.db).toEqual({ class: 'timeout', sqlstate: '57014', driverCode: null, up: true });
    expect(line?.msg).toMatch(/database/);
  } finally {
    await lock.release();
  }
  const text = await metrics();
  expect(counter(text, 'timeout')).toBe(before + 1);
  expect(text).toMatch(/^db_up 1$/m);
  await ok(server.url, t.key, PROMPT);
});

test('a backend terminated mid-request: logged as a connection failure while the pool thought the database was up; db_up recovers', async () => {
  const t = await newTenant(server.url, server.adminKey);
  await createPromptWith(server.url, t.key, 'db/fault', 'A');
  const before = counter(await metrics(), 'connection');
  const lock = await lockTable(db.url, 'prompts');
  const admin = postgres(db.url, { max: 1, onnotice: () => {} });
  try {
    const pending = gql(server.url, t.key, PROMPT);
    // Wait until the request's backend waits on the lock, then terminate it.
    let killed = 0;
    for (let i = 0; i < 100 && killed === 0; i++) {
      const rows = await admin`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
        WHERE datname = ${db.name} AND application_name = 'prompt-service' AND wait_event_type = 'Lock'`;
      killed = rows.filter((x) => x.ok).length;
      if (!killed) await new Promise((r) => setTimeout(r, 20));
    }
    expect(killed).toBeGreaterThan(0);
    const r = await pending;
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
    const line = failureLines().find((l) => l.requestId === r.errors![0]!.extensions!.requestId);
    expect(line?.db).toMatchObject({ class: 'connection', up: true });
    // The driver names it: the SQLSTATE of the termination (57P01) or the driver's own code for a closed socket.
    expect(line!.db.sqlstate ?? line!.db.driverCode).toMatch(/^(57P01|ECONNRESET|CONNECTION_CLOSED|CONNECTION_ENDED|CONNECTION_DESTROYED)$/);
  } finally {
    await lock.release();
    await admin.end();
  }
  expect(counter(await metrics(), 'connection')).toBe(before + 1);
  // The pool marked the database down at that failure and a probe found it up again.
  let text = '';
  for (let i = 0; i < 50 && !/^db_up 1$/m.test(text); i++) {
    text = await metrics();
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(text).toMatch(/^db_up 1$/m);
  await ok(server.url, t.key, PROMPT);
});

test('classification from real driver errors; the monitor marks the database down on a connection failure until a ping reaches it', async () => {
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  const dead = postgres('postgres://postgres@127.0.0.1:1/none', { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    expect(classifyDbFailure(await sql`SELECT 1 / 0`.catch((e: unknown) => e))).toEqual({ class: 'data', sqlstate: '22012', driverCode: null });
    expect(classifyDbFailure(await sql`SELECT * FROM no_such_table`.catch((e: unknown) => e))).toEqual({ class: 'query', sqlstate: '42P01', driverCode: null });
    const refused = await dead`SELECT 1`.catch((e: unknown) => e);
    expect(classifyDbFailure(new Error('wrapped', { cause: refused }))).toEqual({ class: 'connection', sqlstate: null, driverCode: 'ECONNREFUSED' });
    expect(classifyDbFailure(new Error('not a database error'))).toBeNull();

    let reachable = false;
    const monitor = createDbFailureMonitor({ ping: async () => reachable, probeMs: 20 });
    const logs: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void logs.push(l) });
    expect(monitor.report(refused, logger, { requestId: 'r1' })).toMatchObject({ class: 'connection' });
    expect(JSON.parse(logs[0]!)).toMatchObject({ requestId: 'r1', db: { class: 'connection', driverCode: 'ECONNREFUSED', up: true } });
    expect(monitor.up()).toBe(false);
    monitor.report(refused, logger);
    expect(JSON.parse(logs[1]!).db.up).toBe(false); // during the outage: the pool knows
    await new Promise((r) => setTimeout(r, 100));
    expect(monitor.up()).toBe(false); // the probe keeps failing while the database is unreachable
    reachable = true;
    await new Promise((r) => setTimeout(r, 100));
    expect(monitor.up()).toBe(true);
    expect(monitor.metrics()).toContain('db_failures_total{class="connection"} 2');
    monitor.stop();
  } finally {
    await Promise.all([sql.end(), dead.end()]);
  }
});

test('background work reports its database failures the same way: the webhook dispatcher and the alert evaluator', async () => {
  const since = server.logs.length;
  const locks = [await lockTable(db.url, 'webhook_events'), await lockTable(db.url, 'alerts')];
  const phases = () => new Set(failureLines().map((l) => l.phase));
  try {
    for (let i = 0; i < 60 && !(phases().has('webhook dispatcher pass') && phases().has('alert evaluation')); i++) await new Promise((r) => setTimeout(r, 100));
  } finally {
    await Promise.all(locks.map((l) => l.release()));
  }
  const lines = server.logs
    .slice(since)
    .flatMap((l) => l.split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>)
    .filter((l) => l.db);
  for (const phase of ['webhook dispatcher pass', 'alert evaluation'])
    expect(lines.find((l) => l.phase === phase)).toMatchObject({
      module: phase === 'alert evaluation' ? 'alerts' : 'webhooks',
      db: { class: 'timeout', sqlstate: '57014', up: true },
    });
});
