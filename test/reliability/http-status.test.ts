/**
 * HTTP semantics (issue 17, item 6): a request refused by the rate limit answers 429 with Retry-After
 * and keeps its GraphQL error body; an authentication failure answers 401 (WWW-Authenticate: Bearer)
 * when no operation ran; anything else that ran keeps 200.
 */
import { usePostgresServer } from '../helpers/postgres';
import { keyWith, newTenant } from '../helpers/seed';
import { clearOfWindowEnd } from '../helpers/rate-window';
import type { TestServer } from '../helpers/server';

let server: TestServer;
usePostgresServer(
  (s) => {
    server = s;
  },
  { env: { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '3600000', AUTH_FAILURE_LIMIT: '4' } },
);

async function post(key: string | null, query: string, ip?: string) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...(ip ? { 'x-forwarded-for': ip } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { data?: any; errors?: { extensions: Record<string, any> }[] } };
}

test('the rate limit answers 429 with Retry-After; the GraphQL error body stays', async () => {
  const t = await newTenant(server.url, server.adminKey);
  const key = await keyWith(server.url, t.key, { role: 'VIEWER' });
  const answers = [];
  await clearOfWindowEnd(3_600_000, 30_000);
  for (let i = 0; i < 7; i++) answers.push(await post(key, '{ prompts(first: 1) { edges { node { id } } } }'));
  expect(answers.slice(0, 5).map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
  const refused = answers[6]!;
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
  expect(refused.body.data ?? null).toBeNull();
});

test('authentication failures answer 401 when no operation ran; a query that needs no key, and a FORBIDDEN, stay 200', async () => {
  const garbage = `pm_live_${'0'.repeat(16)}_${'a'.repeat(32)}_00000000`;
  for (const key of [garbage, null]) {
    const r = await post(key, '{ prompts(first: 1) { edges { node { id } } } }');
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
    expect(r.body.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
  }
  // { __typename } ran (it needs no principal): 200 with data.
  const ran = await post(garbage, '{ __typename }');
  expect(ran.status).toBe(200);
  expect(ran.body.data).toEqual({ __typename: 'Query' });
  // An authenticated request refused by a role is an answer from an operation that ran: 200.
  const t = await newTenant(server.url, server.adminKey);
  const viewer = await keyWith(server.url, t.key, { role: 'VIEWER' });
  const forbidden = await post(viewer, 'mutation { createPrompt(input: { name: "x", version: { template: "a" } }) { id } }');
  expect(forbidden.body.errors![0]!.extensions.code).toBe('FORBIDDEN');
  expect(forbidden.status).toBe(200);
});
