/** Template includes through GraphQL on real Postgres (a fresh database for this file). */
import { usePostgresServer } from './helpers/postgres';
import type { TestServer } from './helpers/server';
import { templateIncludesSuite } from './suites/templates-api';

let server: TestServer;
usePostgresServer((s) => {
  server = s;
});

describe('includes', () => templateIncludesSuite(() => server));
