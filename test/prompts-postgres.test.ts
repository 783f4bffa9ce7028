/** The prompts contract on real Postgres (a fresh database for this file). */
import { usePostgresServer } from './helpers/postgres';
import type { TestServer } from './helpers/server';
import { promptsApiSuite } from './suites/prompts-api';

let server: TestServer;
usePostgresServer((s) => {
  server = s;
});

promptsApiSuite(() => server);
