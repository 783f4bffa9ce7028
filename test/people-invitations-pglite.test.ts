/** Invitations and members on the embedded default (PGlite, in-process pub/sub), same migrations. */
import { withAdminPerson } from './helpers/people';
import { startServer, type TestServer } from './helpers/server';
import { peopleInvitationsSuite } from './suites/people-invitations';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: withAdminPerson() });
});
afterAll(async () => {
  await server?.stop();
});

peopleInvitationsSuite(() => server);
