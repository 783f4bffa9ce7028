/**
 * Issue 17 item 2 outside GraphQL: with Postgres unreachable (a TCP proxy cut), the HTTP routes that need it — /auth/*,
 * POST /v1/traces, /mcp, and a session cookie on /graphql whose lookup needs the database — answer 503 with
 * `code: "UNAVAILABLE"` and a Retry-After within a bound, not 500, a wrong 401 or a hang; after the restore they work.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { baseUrlOf, Browser, signIn, ADMIN_PERSON, withAdminPerson } from '../helpers/people';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { createPromptWith, keyWith, newTenant } from '../helpers/seed';
import { ADMIN_KEY, startServer, type TestServer } from '../helpers/server';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';

/** Generous: the bounded client's request deadline (DB_REQUEST_TIMEOUT_MS, 10 s by default) and a loaded machine. */
const BOUND_MS = 20_000;

let db: TestDatabase;
let pg: TcpProxy;
let server: TestServer;
let base: string;
let key: string;
let versionId: string;
let mcpSession: string;
/** Signed in on another instance: this server has not cached the session, so its lookup needs the database. */
let elsewhere: Browser;

beforeAll(async () => {
  db = await createTestDatabase();
  pg = await startTcpProxy(5432);
  // Migrated through the real port; that instance signs the person in, then the one under test talks through the proxy.
  const direct = await startServer({ databaseUrl: db.url, env: withAdminPerson() });
  try {
    elsewhere = await signIn(direct, ADMIN_PERSON.email, ADMIN_PERSON.password);
  } finally {
    await direct.stop();
  }
  server = await startServer({ databaseUrl: db.url.replace('127.0.0.1:5432', `127.0.0.1:${pg.port}`), env: withAdminPerson() });
  base = baseUrlOf(server);
  const cookies = elsewhere.cookies;
  elsewhere = new Browser(base);
  for (const [name, value] of cookies) elsewhere.cookies.set(name, value);
  const tenant = await newTenant(server.url, ADMIN_KEY);
  key = await keyWith(server.url, tenant.key, { scopes: ['metrics:write', 'prompts:read'] });
  versionId = (await createPromptWith(server.url, tenant.key, 'outage', 'Hi')).createPrompt.activeVersion.id;
  const init = await mcp({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
  });
  mcpSession = init.headers.get('mcp-session-id')!;
  await mcp({ jsonrpc: '2.0', method: 'notifications/initialized' });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await pg?.close();
  await db?.drop();
});

type Answer = { status: number; body: any; headers: Headers; ms: number };

async function timed(run: () => Promise<{ status: number; body: any; headers: Headers }>): Promise<Answer> {
  const started = Date.now();
  const r = await run();
  return { ...r, ms: Date.now() - started };
}

/** A JSON-RPC message to /mcp with the key (and the session once there is one); an SSE answer is read as its one message. */
async function mcp(message: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${key}`,
      'mcp-protocol-version': '2025-06-18',
      ...(mcpSession ? { 'mcp-session-id': mcpSession } : {}),
    },
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(BOUND_MS * 2),
  });
  const text = await res.text();
  const data = /^data: (.*)$/m.exec(text)?.[1] ?? text;
  return { status: res.status, body: data ? JSON.parse(data) : null, headers: res.headers };
}

async function postJson(path: string, json: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(json),
    signal: AbortSignal.timeout(BOUND_MS * 2),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

/** Database failures counted in /metrics, of every class, refusals while down included. */
async function dbFailuresCounted(): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return [...text.matchAll(/^db_(?:failures|refused)_total(?:\{[^}]*\})? (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

const token = () => randomBytes(32).toString('base64url');
const traces = (id: string) => ({
  resourceSpans: [
    {
      resource: { attributes: [] },
      scopeSpans: [
        {
          scope: { name: 't' },
          spans: [
            {
              traceId: randomUUID().replace(/-/g, ''),
              spanId: randomUUID().replace(/-/g, '').slice(0, 16),
              name: 'chat',
              startTimeUnixNano: String(BigInt(Date.now() - 100) * 1_000_000n),
              endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
              attributes: [{ key: 'prompt_service.version_id', value: { stringValue: id } }],
            },
          ],
        },
      ],
    },
  ],
});

/** Every request that needs Postgres, named. */
const requests: Record<string, () => Promise<{ status: number; body: any; headers: Headers }>> = {
  'POST /auth/sign-in': () => postJson('/auth/sign-in', { email: ADMIN_PERSON.email, password: ADMIN_PERSON.password }),
  'POST /auth/sign-out': () => elsewhere.request('/auth/sign-out', { json: {} }),
  'POST /auth/invitation': () => postJson('/auth/invitation', { token: token() }),
  'POST /auth/accept-invitation': () => postJson('/auth/accept-invitation', { token: token(), name: 'New Person', password: 'another-long-password-7' }),
  'POST /auth/reset-password': () => postJson('/auth/reset-password', { token: token(), password: 'another-long-password-7' }),
  'POST /auth/setup': () => postJson('/auth/setup', { token: token(), email: 'x@example.com', name: 'X', password: 'another-long-password-7' }),
  'POST /v1/traces': () => postJson('/v1/traces', traces(versionId), { authorization: `Bearer ${key}` }),
  'POST /graphql (session cookie)': () => elsewhere.request('/graphql', { json: { query: '{ me { name } }' } }),
};

test('with Postgres cut, each route answers 503 UNAVAILABLE with Retry-After within the bound; after the restore they work', async () => {
  const failuresBefore = await dbFailuresCounted();
  pg.cut();
  const seen: Record<string, unknown>[] = [];
  try {
    for (const [name, run] of Object.entries(requests)) {
      const r = await timed(run);
      const code = r.body?.error?.code ?? r.body?.errors?.[0]?.extensions?.code;
      seen.push({ name, status: r.status, code, retryAfter: r.headers.get('retry-after'), withinBound: r.ms < BOUND_MS });
    }
    // MCP: a JSON-RPC error whose data carries the code (a session that exists needs the database to list prompts).
    const list = await timed(() => mcp({ jsonrpc: '2.0', id: 2, method: 'prompts/list' }));
    seen.push({ name: 'POST /mcp prompts/list', code: list.body?.error?.data?.code, withinBound: list.ms < BOUND_MS });
    if (list.status !== 200) expect([list.status, list.headers.get('retry-after')]).toEqual([503, '1']);
    // Each refusal is still logged and counted for the operator (db_failures_total, or db_refused_total while down).
    expect((await dbFailuresCounted()) - failuresBefore).toBeGreaterThanOrEqual(Object.keys(requests).length - 1);
  } finally {
    pg.restore();
  }
  expect(seen).toEqual([
    ...Object.keys(requests).map((name) => ({ name, status: 503, code: 'UNAVAILABLE', retryAfter: '1', withinBound: true })),
    { name: 'POST /mcp prompts/list', code: 'UNAVAILABLE', withinBound: true },
  ]);

  // Back: readiness first (the health probe), then every route does its work again.
  const until = Date.now() + 60_000;
  while ((await fetch(`${base}/readyz`)).status !== 200 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
  expect((await elsewhere.request('/graphql', { json: { query: '{ me { name } }' } })).body.data.me.name).toBeTruthy();
  expect((await requests['POST /v1/traces']!()).status).toBe(200);
  expect((await mcp({ jsonrpc: '2.0', id: 3, method: 'prompts/list' })).body.result.prompts.map((p: { name: string }) => p.name)).toEqual(['outage']);
  expect((await requests['POST /auth/invitation']!()).body.error.code).toBe('NOT_FOUND');
  expect((await requests['POST /auth/sign-out']!()).status).toBe(200);
  expect((await requests['POST /auth/sign-in']!()).status).toBe(200);
}, 180_000);
