/**
 * The bounded database client (db/bounded-client.ts) on a real Postgres: a transaction that waited
 * past its acquire deadline for the only connection never runs its body; one that runs past its
 * request deadline is rolled back, not committed; while the database is known to be down, operations
 * are refused at once (DB_DOWN) without waiting in the driver's queue, and readiness says so.
 */
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../src/config';
import { DbUnavailableError } from '../../src/db/bounded-client';
import { openDatabase, type Database } from '../../src/db/client';
import { createTestDatabase, withSql, type TestDatabase } from '../helpers/postgres';

let pg: TestDatabase;
let database: Database;
const ACQUIRE_MS = 300;
const REQUEST_MS = 800;

const postgresConfig = (url: string) => {
  const c = loadConfig({
    DATABASE_URL: url,
    DB_POOL_MAX: '1',
    DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_MS),
    DB_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
    DB_CONNECT_TIMEOUT_MS: '1000',
  }).database;
  if (c.kind !== 'postgres') throw new Error('expected postgres');
  return c;
};

beforeAll(async () => {
  pg = await createTestDatabase();
  await withSql(pg.url, (s) => s`CREATE TABLE marks (name text PRIMARY KEY)`);
  database = await openDatabase(postgresConfig(pg.url));
});
afterAll(async () => {
  await database?.close();
  await pg?.drop();
});

const marks = () => withSql(pg.url, async (s) => (await s<{ name: string }[]>`SELECT name FROM marks ORDER BY name`).map((r) => r.name));
const reasonOf = (err: unknown) => (err instanceof DbUnavailableError ? err.reason : String(err));

test('a transaction that waited past its acquire deadline for a connection fails UNAVAILABLE and never runs its body', async () => {
  const db = database.db;
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  // The pool's only connection, held by a transaction (well within its own request deadline).
  const holder = db.transaction(async (tx) => {
    await tx.execute(sql`INSERT INTO marks VALUES ('holder')`);
    await held;
  });
  await new Promise((r) => setTimeout(r, 50));
  const started = Date.now();
  const queued = db.transaction(async (tx) => {
    await tx.execute(sql`INSERT INTO marks VALUES ('queued')`);
  });
  const err = await queued.catch((e: unknown) => e);
  const waited = Date.now() - started;
  expect(reasonOf(err)).toBe('DB_ACQUIRE_TIMEOUT');
  expect((err as DbUnavailableError).code).toBe('UNAVAILABLE');
  expect(waited).toBeGreaterThanOrEqual(ACQUIRE_MS - 20);
  expect(waited).toBeLessThan(ACQUIRE_MS + 2_000);
  release();
  await holder;
  // The queued BEGIN got the connection once the holder was done: its body was refused, nothing committed.
  await new Promise((r) => setTimeout(r, 300));
  expect(await marks()).toEqual(['holder']);
  await withSql(pg.url, (s) => s`DELETE FROM marks`);
});

test('a transaction still running at its request deadline fails UNAVAILABLE and is rolled back, not committed', async () => {
  const db = database.db;
  const started = Date.now();
  const err = await db
    .transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO marks VALUES ('slow')`);
      await tx.execute(sql`SELECT pg_sleep(${(REQUEST_MS + 700) / 1000})`); // shorter than the 5 s statement timeout
    })
    .catch((e: unknown) => e);
  expect(reasonOf(err)).toBe('DB_REQUEST_TIMEOUT');
  expect(Date.now() - started).toBeLessThan(REQUEST_MS + 2_000);
  // Long enough for the sleep to end and the transaction to finish on the server: it rolled back.
  await new Promise((r) => setTimeout(r, 1_500));
  expect(await marks()).toEqual([]);
  // The pool serves again.
  await db.execute(sql`INSERT INTO marks VALUES ('after')`);
  expect(await marks()).toEqual(['after']);
  await withSql(pg.url, (s) => s`DELETE FROM marks`);
});

test('while the database is known to be down: refused at once (DB_DOWN), readiness false; an unknown port is found down by the probe', async () => {
  const dead = await openDatabase(postgresConfig('postgres://postgres@127.0.0.1:1/none'));
  try {
    const first = await dead.db.execute(sql`SELECT 1`).catch((e: unknown) => e);
    expect(String((first as { cause?: { code?: string } }).cause?.code ?? first)).toMatch(/ECONNREFUSED/);
    // The failure made the client probe; the probe fails too, so the breaker opens.
    for (let i = 0; i < 50 && dead.health.up(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(dead.health.up()).toBe(false);
    // DB_DOWN is the breaker's own refusal: nothing was queued or sent (no wall-clock bound here, a loaded CI machine stretches any).
    const refusals = await Promise.all(Array.from({ length: 50 }, () => dead.db.execute(sql`SELECT 1`).catch((e: unknown) => e)));
    expect(new Set(refusals.map((e) => reasonOf((e as { cause?: unknown }).cause ?? e)))).toEqual(new Set(['DB_DOWN']));
    await expect(dead.db.transaction(async () => 1)).rejects.toMatchObject({ reason: 'DB_DOWN', code: 'UNAVAILABLE' });
    expect(await dead.health.check()).toBe(false);
  } finally {
    await dead.close();
  }
});
