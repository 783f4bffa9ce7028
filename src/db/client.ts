/**
 * Opens the database: Postgres through postgres.js (bounded pool, statement timeout) when a URL is
 * configured, else embedded Postgres (PGlite) on disk or in memory. Both expose the same Drizzle `Db`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Config } from '../config';
import { lockDataDir } from './data-dir-lock';
import { boundPostgresClient } from './bounded-client';
import { assertPostgresDriverPatched } from './driver-patch';
import { ADVISORY_LOCKS } from './locks';
import { classifyDbFailure } from './failures';
import { createDbHealth, type DbHealth, type PingOutcome } from './health';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle; services take `Executor` so they run inside or outside one. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;

export const MIGRATIONS_FOLDER = path.resolve(__dirname, '../../drizzle');

export type Database = {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Applies pending migrations (idempotent). */
  migrate(): Promise<void>;
  /** Cheap liveness query with a deadline, for /readyz. */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Whether the pool thinks the database is up (the bounded client fails fast while it is down). */
  health: DbHealth;
  close(): Promise<void>;
  /** The PGlite instance, for tests that snapshot a migrated template. */
  pglite?: PGlite;
  /** The embedded folder's lock was left by a server that is gone (a crash): its pid, taken over. */
  tookOverLockFrom?: number | null;
};

export type OpenOptions = {
  pgliteLoadDataDir?: Blob;
  /** Sees the SQL of every statement Drizzle sends (tests count statements; the app sets none). */
  onQuery?: (sql: string) => void;
};

/** Drizzle's query logger, when someone watches statements. */
const queryLogger = (options: OpenOptions) => (options.onQuery ? { logQuery: (query: string) => options.onQuery!(query) } : undefined);

export async function openDatabase(config: Config['database'], options: OpenOptions = {}): Promise<Database> {
  return config.kind === 'postgres' ? openPostgres(config, options) : openPglite(config.dataDir, options);
}

class DeadlineExceeded extends Error {}

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded('deadline exceeded')), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

/** Reconnect delay after a failed connection, in seconds: short and jittered. The driver's default grows to 20 s, so
 *  after an outage queries waited that long for a slot that could have connected at once; the breaker (health) keeps
 *  reconnects to one probe at a time while the database is down, so a short delay costs nothing. */
const reconnectBackoff = (retries: number) => Math.min(0.02 * 2 ** retries, 0.25) * (0.5 + Math.random() / 2);

function openPostgres(config: Extract<Config['database'], { kind: 'postgres' }>, options: OpenOptions): Database {
  assertPostgresDriverPatched();
  const client = postgres(config.url, {
    max: config.poolMax,
    connect_timeout: config.connectTimeoutMs / 1000,
    idle_timeout: 30,
    backoff: reconnectBackoff,
    onnotice: () => {},
    connection: { statement_timeout: config.statementTimeoutMs, application_name: 'prompt-service' },
  });
  // Through the driver directly (never refused by the breaker it informs).
  const pingOnce = async (timeoutMs: number): Promise<PingOutcome> => {
    try {
      await withDeadline(client`select 1`, timeoutMs);
      return true;
    } catch (err) {
      if (err instanceof DeadlineExceeded) return 'timeout';
      const failure = classifyDbFailure(err);
      return failure && (failure.class === 'connection' || failure.class === 'resources' || failure.driverCode === 'CONNECT_TIMEOUT') ? false : 'timeout';
    }
  };
  // A connection the server closed while idle (after a restart) fails the first statement sent on it; the second goes
  // out on a fresh one. One stale slot must not flip readiness or open the breaker.
  const ping = async (timeoutMs = 2000): Promise<PingOutcome> => {
    const first = await pingOnce(timeoutMs);
    return first === false ? pingOnce(timeoutMs) : first;
  };
  const health = createDbHealth({ ping, probeTimeoutMs: config.connectTimeoutMs });
  const bounded = boundPostgresClient(client, { acquireTimeoutMs: config.acquireTimeoutMs, requestTimeoutMs: config.requestTimeoutMs, health });
  const db = drizzlePostgres({ client: bounded, schema, logger: queryLogger(options) }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    health,
    async migrate() {
      // The migrator needs its own single connection (advisory lock + DDL in one session).
      const migrationClient = postgres(config.url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
      try {
        // drizzle's migrator takes no lock: instances starting together on a fresh database would
        // race on CREATE TABLE. A session advisory lock makes them migrate one after the other.
        await migrationClient`select pg_advisory_lock(${ADVISORY_LOCKS.migrate}) /* migrate */`;
        await migratePostgres(drizzlePostgres({ client: migrationClient }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await migrationClient.end({ timeout: 5 });
      }
    },
    async ping(timeoutMs) {
      return (await ping(timeoutMs)) === true;
    },
    async close() {
      health.stop();
      await client.end({ timeout: 5 });
    },
  };
}

async function openPglite(dataDir: string | null, options: OpenOptions): Promise<Database> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  // One server per folder: a second one refuses before PGlite touches the files.
  const lock = dataDir ? lockDataDir(dataDir) : null;
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir ?? undefined, options.pgliteLoadDataDir ? { loadDataDir: options.pgliteLoadDataDir } : {});
  } catch (err) {
    lock?.release();
    throw err;
  }
  const db = drizzlePglite({ client: pglite, schema, logger: queryLogger(options) }) as unknown as Db;
  const ping = async (timeoutMs = 2000) => {
    try {
      await withDeadline(db.execute(sql`select 1`), timeoutMs);
      return true;
    } catch {
      return false;
    }
  };
  const health = createDbHealth({ ping });
  return {
    db,
    kind: 'pglite',
    pglite,
    health,
    tookOverLockFrom: lock?.tookOverFrom ?? null,
    async migrate() {
      await migratePglite(drizzlePglite({ client: pglite }), { migrationsFolder: MIGRATIONS_FOLDER });
    },
    ping,
    async close() {
      health.stop();
      try {
        if (!pglite.closed) await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}
