/** The prompts contract on the embedded default (PGlite, in-process pub/sub), same migrations. */
import { startServer, type TestServer } from './helpers/server';
import { promptsApiSuite } from './suites/prompts-api';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

promptsApiSuite(() => server);
