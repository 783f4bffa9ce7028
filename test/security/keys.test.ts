/**
 * API keys across instances: a revocation reaches every instance at once through Redis, and within
 * the auth cache's TTL on an instance that never hears of it (a lost message); it ends the key's
 * subscriptions (4403); an expired key is UNAUTHENTICATED; per-key rate limits are shared through
 * Redis and fail open to the per-instance limit when Redis is cut; failed authentications are
 * limited per address. Afterwards no log line and no database row holds any key or its secret.
 */
import { gql, ok } from '../helpers/graphql';
import { createTestDatabase, withSql, type TestDatabase } from '../helpers/postgres';
import { newTenant } from '../helpers/seed';
import { ADMIN_KEY, REDIS_URL, startServer, type TestServer } from '../helpers/server';
import { clearOfWindowEnd } from '../helpers/rate-window';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { collect, wsClient } from '../helpers/ws';

let db: TestDatabase;
let a: TestServer; // Redis
let b: TestServer; // Redis
let lonely: TestServer; // in-process pub/sub: never hears KEY_REVOKED
let proxy: TcpProxy;
const servers: TestServer[] = [];
const issued: string[] = [];

const start = async (options: Parameters<typeof startServer>[0]) => {
  const s = await startServer(options);
  servers.push(s);
  return s;
};

beforeAll(async () => {
  db = await createTestDatabase();
  proxy = await startTcpProxy(Number(new URL(REDIS_URL).port || 6379));
  a = await start({ databaseUrl: db.url, redis: true }); // migrates the fresh database first
  [b, lonely] = await Promise.all([start({ databaseUrl: db.url, redis: true }), start({ databaseUrl: db.url })]);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await proxy?.close();
  await db?.drop();
});

async function issue(url: string, adminKey: string, input: Record<string, unknown>): Promise<{ key: string; id: string }> {
  const d = await ok(url, adminKey, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key apiKey { id } } }', {
    i: { name: `k${issued.length}`, ...input },
  });
  issued.push(d.createApiKey.key);
  return { key: d.createApiKey.key, id: d.createApiKey.apiKey.id };
}

const codeFor = async (url: string, key: string) => (await gql(url, key, '{ me { id } }')).errors?.[0]?.extensions?.code;

async function eventually(fn: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return fn();
}

test('revokeApiKey: at once on every instance through Redis; within the cache TTL where the event is lost; subscriptions close with 4403', async () => {
  const t = await newTenant(a.url, ADMIN_KEY);
  issued.push(t.key);
  const k = await issue(a.url, t.key, { role: 'VIEWER' });
  // Every instance has the key cached as valid.
  for (const s of [a, b, lonely]) expect(await codeFor(s.url, k.key)).toBeUndefined();
  let closeCode = 0;
  const client = wsClient(b.url, k.key, { onClose: (c) => (closeCode = c) });
  const sub = collect(client, 'subscription { promptChanged { revision } }');
  await new Promise<void>((resolve) => client.on('connected', () => resolve()));

  const revokedAt = Date.now();
  const r = await ok(a.url, t.key, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: k.id });
  expect(r.revokeApiKey.revokedAt).toBeTruthy();
  expect(await codeFor(a.url, k.key)).toBe('UNAUTHENTICATED');
  expect(await eventually(async () => (await codeFor(b.url, k.key)) === 'UNAUTHENTICATED', 2000)).toBe(true);
  expect(await eventually(async () => closeCode === 4403, 3000)).toBe(true);
  // No event reaches `lonely`: its 5 s auth cache bounds how long the key keeps working there.
  expect(await eventually(async () => (await codeFor(lonely.url, k.key)) === 'UNAUTHENTICATED', 7000)).toBe(true);
  expect(Date.now() - revokedAt).toBeLessThan(8000);
  sub.dispose();
  await client.dispose();
  // Idempotent, and revoking another workspace's key is NOT_FOUND.
  expect((await ok(a.url, t.key, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: k.id })).revokeApiKey.id).toBe(k.id);
  const other = await newTenant(a.url, ADMIN_KEY);
  issued.push(other.key);
  expect((await gql(a.url, other.key, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: k.id })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
}, 30_000);

test('an expired key is UNAUTHENTICATED; an expiry in the past is refused', async () => {
  const t = await newTenant(a.url, ADMIN_KEY);
  issued.push(t.key);
  const soon = await issue(a.url, t.key, { role: 'VIEWER', expiresAt: new Date(Date.now() + 1500).toISOString() });
  expect(await codeFor(a.url, soon.key)).toBeUndefined();
  expect(await eventually(async () => (await codeFor(a.url, soon.key)) === 'UNAUTHENTICATED', 3000)).toBe(true);
  const past = await gql(a.url, t.key, 'mutation { createApiKey(input: { name: "old", role: VIEWER, expiresAt: "2020-01-01T00:00:00Z" }) { key } }');
  expect(past.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.expiresAt' });
});

test('per-key rate limit: shared by two instances through Redis, RATE_LIMITED with retryAfter, per key; fails open to the instance limit when Redis is cut', async () => {
  // An hour's window, and the counting starts well before its end (see clearOfWindowEnd).
  const env = { RATE_LIMIT_MAX: '6', RATE_LIMIT_WINDOW_MS: '3600000' };
  const [one, two] = await Promise.all([start({ databaseUrl: db.url, redis: true, env }), start({ databaseUrl: db.url, redis: true, env })]);
  const t = await newTenant(one.url, ADMIN_KEY);
  issued.push(t.key);
  const k = await issue(one.url, t.key, { role: 'VIEWER' });
  const other = await issue(one.url, t.key, { role: 'VIEWER' });
  const codes: Array<string | undefined> = [];
  await clearOfWindowEnd(3_600_000, 60_000);
  for (let i = 0; i < 10; i++) {
    codes.push(await codeFor(i % 2 ? two.url : one.url, k.key));
    // Lets each instance add its count to Redis (flushes every 50 ms; generous for a loaded CI machine).
    await new Promise((r) => setTimeout(r, 300));
  }
  // Each instance alone would allow 6 (12 in all): together they stop the key after 6, give or take
  // the one request an instance serves before it hears the other's last count.
  expect(codes.slice(0, 6)).toEqual(Array(6).fill(undefined));
  expect(codes.filter((c) => c === undefined).length).toBeLessThanOrEqual(7);
  expect(codes.slice(8)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  const res = await fetch(one.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${k.key}` },
    body: '{"query":"{ me { id } }"}',
  });
  const body = (await res.json()) as any;
  expect(body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await codeFor(one.url, other.key)).toBeUndefined();
  // The same count applies to subscribe messages over WebSocket.
  const client = wsClient(two.url, k.key);
  const sub = collect(client, 'subscription { promptChanged { revision } }');
  await sub.waitFor(1, 10_000).catch(() => undefined); // returns as soon as the refusal arrives
  await client.dispose();
  expect((sub.errors[0] as any)?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });

  // Redis unreachable: requests still run (the instance counts alone), and nothing hangs.
  const cut = await start({ databaseUrl: db.url, env: { ...env, REDIS_URL: `redis://127.0.0.1:${proxy.port}` } });
  const fresh = await issue(cut.url, t.key, { role: 'VIEWER' });
  proxy.cut();
  try {
    const during: Array<string | undefined> = [];
    for (let i = 0; i < 7; i++) during.push(await codeFor(cut.url, fresh.key));
    expect(during.slice(0, 6)).toEqual(Array(6).fill(undefined));
    expect(during[6]).toBe('RATE_LIMITED');
  } finally {
    proxy.restore();
  }
}, 30_000);

test('failed authentications are limited per address, before any key lookup', async () => {
  const guarded = await start({ env: { AUTH_FAILURE_LIMIT: '3' } });
  const codes: Array<string | undefined> = [];
  await clearOfWindowEnd(60_000, 10_000); // the failure window is a fixed minute
  for (let i = 0; i < 5; i++) codes.push(await codeFor(guarded.url, `pm_live_${'0'.repeat(16)}_${'a'.repeat(32)}_0000000${i}`));
  expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED', 'RATE_LIMITED']);
});

test('no log line of any instance and no database row holds a key or its secret', async () => {
  // A revoked key and a garbage key sent over WebSocket, to have them in every path.
  const client = wsClient(a.url, issued[issued.length - 1]!);
  const sub = collect(client, 'subscription { promptChanged { revision } }');
  await sub.waitFor(1, 300).catch(() => undefined);
  await client.dispose();
  const secrets = [ADMIN_KEY, ...issued, ...issued.map((k) => k.split('_')[3]!)];
  expect(issued.length).toBeGreaterThan(5);
  const logs = servers.flatMap((s) => s.logs).join('\n');
  expect(logs.length).toBeGreaterThan(1000);
  for (const s of secrets) expect(logs.includes(s)).toBe(false);
  const dump = await withSql(db.url, async (sql) => {
    const tables = await sql<{ table_name: string }[]>`select table_name from information_schema.tables where table_schema = 'public'`;
    const parts = await Promise.all(
      tables.map(
        async ({ table_name }) => (await sql.unsafe(`select coalesce(string_agg(to_jsonb(t)::text, ''), '') as d from "${table_name}" t`))[0]!.d as string,
      ),
    );
    return parts.join('');
  });
  expect(dump).toMatch(/pm_live_[0-9a-f]{16}/); // prefixes are stored (that is fine)
  for (const s of secrets) expect(dump.includes(s)).toBe(false);
});
