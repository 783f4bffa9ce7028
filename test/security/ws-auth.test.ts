/**
 * WebSocket authentication that explains itself: `authorization` in connectionParams is matched whatever its case
 * (also inside `headers`); a refused connection is closed with 4403 and a reason saying what is wrong — missing,
 * malformed (no `Bearer `), unknown, revoked or expired key — in the same words as the HTTP error for the same
 * mistake; a key revoked while connected closes its socket saying so.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { gql, ok } from '../helpers/graphql';
import { newTenant, type Tenant } from '../helpers/seed';
import { ADMIN_KEY, startServer, type TestServer } from '../helpers/server';

let server: TestServer;
let t: Tenant;
beforeAll(async () => {
  server = await startServer();
  t = await newTenant(server.url, ADMIN_KEY);
});
afterAll(async () => server?.stop());

type Outcome = { connected: boolean; code?: number; reason?: string };

/** Connects with these connectionParams and subscribes; resolves once acknowledged or closed. */
function connect(params: Record<string, unknown>, keepOpen?: (close: () => Promise<Outcome>) => Promise<void>): Promise<Outcome> {
  return new Promise((resolve) => {
    let closed: (o: Outcome) => void = () => undefined;
    const closedOutcome = new Promise<Outcome>((r) => (closed = r));
    const client = createClient({
      url: server.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: params,
      retryAttempts: 0,
      lazy: true,
      on: {
        connected: () => {
          if (!keepOpen) {
            resolve({ connected: true });
            void client.dispose();
          } else void keepOpen(() => closedOutcome).then(() => client.dispose());
        },
        closed: (e) => {
          const { code, reason } = e as { code: number; reason: string };
          closed({ connected: false, code, reason });
          resolve({ connected: false, code, reason });
        },
      },
    });
    client.subscribe({ query: 'subscription { promptChanged { revision } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
  });
}

/** The HTTP error message for the same Authorization value. */
async function httpMessage(authorization: string | null): Promise<string> {
  const r = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization === null ? {} : { authorization }) },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  const body = (await r.json()) as any;
  expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  return body.errors[0].message;
}

test('authorization is matched whatever its case, also inside headers', async () => {
  for (const params of [
    { authorization: `Bearer ${t.key}` },
    { Authorization: `Bearer ${t.key}` },
    { AUTHORIZATION: `bearer ${t.key}` },
    { headers: { Authorization: `Bearer ${t.key}` } },
  ]) {
    expect(await connect(params)).toEqual({ connected: true });
  }
});

test('missing key: 4403 "Missing key", saying where a socket sends it; HTTP uses the same words', async () => {
  const ws = await connect({});
  expect(ws).toMatchObject({ connected: false, code: 4403, reason: 'Missing key: send connectionParams { authorization: "Bearer <key>" }.' });
  expect(await httpMessage(null)).toBe('Missing key: send "Authorization: Bearer <key>".');
  expect(await connect({ authorization: '' })).toMatchObject({ code: 4403, reason: expect.stringMatching(/^Missing key: /) });
});

test('malformed key (no Bearer): the same reason on both', async () => {
  const http = await httpMessage(t.key);
  expect(http).toMatch(/^Malformed key: send Bearer <key>/);
  expect(await connect({ Authorization: t.key })).toEqual({ connected: false, code: 4403, reason: http });
  expect(await connect({ authorization: `Basic ${t.key}` })).toEqual({ connected: false, code: 4403, reason: http });
});

test('unknown, revoked and expired keys: the same reason on both', async () => {
  const unknown = await httpMessage('Bearer pm_live_not-a-real-key');
  expect(unknown).toMatch(/^Unknown key: /);
  expect(await connect({ authorization: 'Bearer pm_live_not-a-real-key' })).toEqual({ connected: false, code: 4403, reason: unknown });

  const made = await ok(server.url, t.key, 'mutation { createApiKey(input: { name: "to-revoke", role: VIEWER }) { key apiKey { id } } }');
  await ok(server.url, t.key, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: made.createApiKey.apiKey.id });
  const revoked = await httpMessage(`Bearer ${made.createApiKey.key}`);
  expect(revoked).toBe('Key revoked: ask an admin for a new key.');
  expect(await connect({ authorization: `Bearer ${made.createApiKey.key}` })).toEqual({ connected: false, code: 4403, reason: revoked });

  const soon = new Date(Date.now() + 1_500).toISOString();
  const expiring = await ok(server.url, t.key, 'mutation($at: DateTime) { createApiKey(input: { name: "expiring", role: VIEWER, expiresAt: $at }) { key } }', {
    at: soon,
  });
  await new Promise((r) => setTimeout(r, 1_700));
  const expired = await httpMessage(`Bearer ${expiring.createApiKey.key}`);
  expect(expired).toBe('Key expired: ask an admin for a new key.');
  expect(await connect({ authorization: `Bearer ${expiring.createApiKey.key}` })).toEqual({ connected: false, code: 4403, reason: expired });
});

test('a key revoked while connected: its socket closes with 4403 "Key revoked"', async () => {
  const made = await ok(server.url, t.key, 'mutation { createApiKey(input: { name: "live", role: VIEWER }) { key apiKey { id } } }');
  let outcome: Outcome | undefined;
  await connect({ authorization: `Bearer ${made.createApiKey.key}` }, async (closed) => {
    await ok(server.url, t.key, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: made.createApiKey.apiKey.id });
    outcome = await closed();
  });
  expect(outcome).toEqual({ connected: false, code: 4403, reason: 'Key revoked: ask an admin for a new key.' });
  // And HTTP says the same for that key now.
  expect((await gql(server.url, made.createApiKey.key, '{ me { id } }')).errors![0]!.message).toBe('Key revoked: ask an admin for a new key.');
});
