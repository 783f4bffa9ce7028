/** Invitations and members on real Postgres (a fresh database for this file). */
import { usePostgresServer } from './helpers/postgres';
import { withAdminPerson } from './helpers/people';
import type { TestServer } from './helpers/server';
import { peopleInvitationsSuite } from './suites/people-invitations';

let server: TestServer;
usePostgresServer(
  (s) => {
    server = s;
  },
  { env: withAdminPerson() },
);

peopleInvitationsSuite(() => server);
