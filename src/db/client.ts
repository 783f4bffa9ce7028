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
import { assertPostgresDriverPatched } from './driver-patch';
import { ADVISORY_LOCKS } from './locks';
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

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('deadline exceeded')), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

function openPostgres(config: Extract<Config['database'], { kind: 'postgres' }>, options: OpenOptions): Database {
  assertPostgresDriverPatched();
  const client = postgres(config.url, {
    max: config.poolMax,
    connect_timeout: 5,
    idle_timeout: 30,
    onnotice: () => {},
    connection: { statement_timeout: config.statementTimeoutMs, application_name: 'prompt-service' },
  });
  const db = drizzlePostgres({ client, schema, logger: queryLogger(options) }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
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
    async ping(timeoutMs = 2000) {
      try {
        await withDeadline(client`select 1`, timeoutMs);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
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
  return {
    db,
    kind: 'pglite',
    pglite,
    tookOverLockFrom: lock?.tookOverFrom ?? null,
    async migrate() {
      await migratePglite(drizzlePglite({ client: pglite }), { migrationsFolder: MIGRATIONS_FOLDER });
    },
    async ping(timeoutMs = 2000) {
      try {
        await withDeadline(db.execute(sql`select 1`), timeoutMs);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      try {
        if (!pglite.closed) await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}
