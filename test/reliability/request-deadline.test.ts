/**
 * GRAPHQL_REQUEST_TIMEOUT_MS bounds a whole GraphQL request over HTTP (R28, R31: "a GraphQL request deadline, so no
 * request hangs"). The database's own bounds are set far above it here, and a side session holds an exclusive
 * lock on `prompts`: without the deadline the requests below would wait until the lock is released, which
 * happens only after they were answered.
 */
import postgres from 'postgres';
import { gql, ok } from '../helpers/graphql';
import { usePostgresServer, type TestDatabase } from '../helpers/postgres';
import { newTenant } from '../helpers/seed';
import type { TestServer } from '../helpers/server';

let server: TestServer;
let db: TestDatabase;
usePostgresServer(
  (s, d) => {
    server = s;
    db = d;
  },
  { env: { GRAPHQL_REQUEST_TIMEOUT_MS: '1500', DB_STATEMENT_TIMEOUT_MS: '120000', DB_REQUEST_TIMEOUT_MS: '120000', RATE_LIMIT_MAX: '0' } },
);

async function post(key: string, query: string) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any };
}

test('a request past its deadline answers 503 UNAVAILABLE (REQUEST_DEADLINE); its late end is logged; the server serves on', async () => {
  const t = await newTenant(server.url, server.adminKey);
  await ok(server.url, t.key, 'mutation { createPrompt(input: { name: "before", version: { template: "a" } }) { id } }');
  const side = postgres(db.url, { max: 1, onnotice: () => {} });
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const holding = new Promise<void>((r) => (locked = r));
  const lock = side.begin(async (tx) => {
    await tx`LOCK TABLE prompts IN ACCESS EXCLUSIVE MODE`;
    locked();
    await released;
  });
  try {
    await holding;
    const [read, write] = await Promise.all([
      post(t.key, '{ prompts(first: 5) { edges { node { name } } } }'),
      post(t.key, 'mutation { createPrompt(input: { name: "during", version: { template: "b" } }) { id } }'),
    ]);
    for (const r of [read, write]) {
      expect(r.status).toBe(503);
      expect(r.retryAfter).toBe('1');
      expect(r.body.errors[0].extensions).toMatchObject({ code: 'UNAVAILABLE', reason: 'REQUEST_DEADLINE', requestId: expect.any(String) });
      expect(r.body.errors[0].message).toMatch(/GRAPHQL_REQUEST_TIMEOUT_MS/);
    }
  } finally {
    release();
    await lock;
    await side.end();
  }
  // The work went on once the lock was gone: the write it answered UNAVAILABLE for was applied (as the message
  // warns), and its late end is in the log.
  const names = async () =>
    (await ok(server.url, t.key, '{ prompts(first: 5) { edges { node { name } } } }')).prompts.edges.map((e: any) => e.node.name).sort();
  for (let i = 0; i < 100 && !(await names()).includes('during'); i++) await new Promise((r) => setTimeout(r, 50));
  expect(await names()).toEqual(['before', 'during']);
  const logged = (prefix: string) =>
    server.logs
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .filter((l) => (JSON.parse(l) as { msg: string }).msg.startsWith(prefix)).length;
  expect(logged('graphql request past its deadline')).toBe(2);
  for (let i = 0; i < 100 && logged('graphql request finished after its deadline') < 2; i++) await new Promise((r) => setTimeout(r, 50));
  expect(logged('graphql request finished after its deadline')).toBe(2);
  const metrics = await (await fetch(server.url.replace('/graphql', '/metrics'))).text();
  expect(Number(/^graphql_errors_total\{code="UNAVAILABLE"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
  // A request within its deadline is answered as always.
  expect((await gql(server.url, t.key, '{ __typename }')).errors).toBeUndefined();
});
