/** People and sessions on real Postgres (a fresh database for this file). */
import { usePostgresServer } from './helpers/postgres';
import { withAdminPerson } from './helpers/people';
import type { TestServer } from './helpers/server';
import { peopleSessionsSuite } from './suites/people-sessions';

let server: TestServer;
usePostgresServer(
  (s) => {
    server = s;
  },
  { env: withAdminPerson() },
);

peopleSessionsSuite(() => server);
