/** Template includes through GraphQL on real Postgres (a fresh database for this file). */
import { createTestDatabase, type TestDatabase } from './helpers/postgres';
import { startServer, type TestServer } from './helpers/server';
import { templateIncludesSuite } from './suites/templates-api';

let db: TestDatabase;
let server: TestServer;
beforeAll(async () => {
  db = await createTestDatabase();
  server = await startServer({ databaseUrl: db.url });
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

describe('includes', () => templateIncludesSuite(() => server));
