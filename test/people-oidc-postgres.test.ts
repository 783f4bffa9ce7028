/** Single sign-on (OIDC) on real Postgres (a fresh database for this file) against a real provider process. */
import { createTestDatabase, type TestDatabase } from './helpers/postgres';
import { startServer } from './helpers/server';
import { peopleOidcSuite, useSsoServer } from './suites/people-oidc';

let db: TestDatabase | undefined;
const env = useSsoServer(async (extra) => {
  db = await createTestDatabase();
  return startServer({ databaseUrl: db.url, env: extra });
});
afterAll(async () => {
  await db?.drop();
});

peopleOidcSuite(env);
