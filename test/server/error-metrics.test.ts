/**
 * GET /metrics counts every GraphQL error answered to a caller by its code (`graphql_errors_total{code}`), over HTTP
 * and WebSocket alike, so an operator can tell a wave of bad input from one of outages or bugs.
 */
import { gql } from '../helpers/graphql';
import { startServer, type TestServer } from '../helpers/server';
import { collect, wsClient } from '../helpers/ws';

jest.setTimeout(60_000);

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

async function counted(): Promise<Record<string, number>> {
  const text = await (await fetch(server.url.replace('/graphql', '/metrics'))).text();
  return Object.fromEntries([...text.matchAll(/^graphql_errors_total\{code="([A-Z_]+)"\} (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]));
}

const delta = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(
    Object.keys(after)
      .filter((c) => after[c] !== (before[c] ?? 0))
      .map((c) => [c, after[c]! - (before[c] ?? 0)]),
  );

test('errors answered over HTTP are counted by code, once each', async () => {
  const before = await counted();
  const invalid = await gql(server.url, server.adminKey, 'mutation { createPrompt(input: { name: "", version: { template: "a" } }) { id } }');
  expect(invalid.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  const unknownField = await gql(server.url, server.adminKey, '{ nope }');
  expect(unknownField.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  const missing = await gql(server.url, server.adminKey, '{ resolvePrompt(name: "not-there") { text } }');
  expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  const anonymous = await gql(server.url, null, '{ prompts(first: 1) { edges { node { id } } } }');
  expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  // A query that succeeds counts nothing.
  expect((await gql(server.url, server.adminKey, '{ __typename }')).errors).toBeUndefined();
  expect(delta(await counted(), before)).toEqual({ BAD_USER_INPUT: 1, GRAPHQL_VALIDATION_FAILED: 1, NOT_FOUND: 1, UNAUTHENTICATED: 1 });
});

test('refusals answered before Apollo (method, body) are counted in the same family', async () => {
  const before = await counted();
  const put = await fetch(server.url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(put.status).toBe(405);
  const garbled = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' });
  expect(((await garbled.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  expect(delta(await counted(), before)).toEqual({ METHOD_NOT_ALLOWED: 1, BAD_REQUEST: 1 });
});

test('errors answered over WebSocket are counted in the same family', async () => {
  const before = await counted();
  const client = wsClient(server.url, server.adminKey);
  // A variable of the wrong type: refused before the subscription starts (graphql-ws onError).
  const refused = collect(client, 'subscription($n: String) { promptChanged(name: $n) { revision } }', { n: 42 });
  await refused.waitFor(1, 5000).catch(() => undefined);
  refused.dispose();
  await client.dispose();
  expect(JSON.stringify(refused.errors)).toContain('BAD_USER_INPUT');
  expect(delta(await counted(), before)).toEqual({ BAD_USER_INPUT: 1 });
});
