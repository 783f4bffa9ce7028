/** Templates through GraphQL on the embedded default (PGlite): includes and everything else. */
import { startServer, type TestServer } from './helpers/server';
import { templateIncludesSuite, templatesApiSuite } from './suites/templates-api';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('includes', () => templateIncludesSuite(() => server));
describe('templates', () => templatesApiSuite(() => server));
