/** A fresh real-Postgres database per test file (created and dropped here), so files run in parallel. */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { startServer, type TestServer } from './server';

export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDatabase = { url: string; name: string; drop(): Promise<void> };

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `pm_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    name,
    async drop() {
      const a = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** Runs SQL against a test database (for checks the API does not expose). */
export async function withSql<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

/**
 * Registers beforeAll/afterAll for a test file that runs the app in-process on its own fresh Postgres
 * database; `onReady` receives the server and database once they are up.
 */
export function usePostgresServer(
  onReady: (server: TestServer, db: TestDatabase) => void,
  options: { env?: Record<string, string>; redis?: boolean } = {},
): void {
  let db: TestDatabase | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startServer({ databaseUrl: db.url, ...options });
    onReady(server, db);
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });
}
