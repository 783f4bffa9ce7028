/**
 * R3 and R4: the production posture does not depend on NODE_ENV (introspection only with a key, no suggestions,
 * no stack traces, no batching), and unexpected failures reach clients masked, with a request id
 * that matches a server log line, on HTTP and WebSocket alike.
 */
import { gql } from '../helpers/graphql';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { createPromptWith, newTenant } from '../helpers/seed';
import { ADMIN_KEY, startServer } from '../helpers/server';
import { startTcpProxy } from '../helpers/tcp-proxy';
import { collect, wsClient } from '../helpers/ws';

const LEAKS = /postgres|pglite|ECONN|relation "|constraint|\bat \/|127\.0\.0\.1|[A-Za-z]+Error:|stacktrace|node_modules|Did you mean/i;

describe.each([undefined, 'development', 'production'])('NODE_ENV=%s', (nodeEnv) => {
  test('introspection refused without a key, no suggestions, no stack traces, no batches', async () => {
    const saved = process.env.NODE_ENV;
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    const server = await startServer();
    try {
      const post = async (body: string) => {
        const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` }, body });
        return { status: res.status, text: await res.text() };
      };
      // Introspection: for callers with a key (GRAPHQL_INTROSPECTION=authenticated), whatever NODE_ENV says.
      const introBody = JSON.stringify({ query: '{ __schema { types { name } } }' });
      const anonymous = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: introBody });
      const intro = { status: anonymous.status, text: await anonymous.text() };
      expect(intro.status).toBe(401);
      expect(intro.text).toMatch(/UNAUTHENTICATED/);
      expect(intro.text).toContain('GRAPHQL_INTROSPECTION=authenticated');
      expect((await post(introBody)).status).toBe(200);
      const typo = await post(JSON.stringify({ query: '{ promptz { id } }' }));
      expect(typo.text).not.toMatch(/Did you mean/);
      const error = await post(JSON.stringify({ query: '{ prompts(first: 0) { totalCount } }' }));
      expect(error.text).toMatch(/BAD_USER_INPUT/);
      for (const r of [intro, typo, error]) expect(r.text).not.toMatch(/stacktrace|exception/);
      expect((await post('[{"query":"{ __typename }"}]')).status).toBe(400);
      const landing = await fetch(server.url, { headers: { accept: 'text/html' } });
      expect(await landing.text()).not.toMatch(/<html/i);
    } finally {
      await server.stop();
      if (saved === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = saved;
    }
  });
});

describe('R4 fault matrix: masked errors with a request id that the log has too', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  test('Postgres unreachable, Redis unreachable, a NUL in content, a duplicate, a statement timeout', async () => {
    const pg = await startTcpProxy(5432);
    const redis = await startTcpProxy(6379);
    // Migrate through the real port first; then the server talks to Postgres and Redis through the proxies.
    const direct = await startServer({ databaseUrl: db.url });
    await direct.stop();
    const server = await startServer({
      databaseUrl: db.url.replace('127.0.0.1:5432', `127.0.0.1:${pg.port}`),
      env: { REDIS_URL: `redis://127.0.0.1:${redis.port}`, DB_STATEMENT_TIMEOUT_MS: '100' },
    });
    try {
      const t = await newTenant(server.url, ADMIN_KEY);
      await createPromptWith(server.url, t.key, 'fault', 'hi');
      const frames: string[] = [];
      const run = async (query: string, variables?: Record<string, unknown>) => {
        const r = await gql(server.url, t.key, query, variables, { 'x-request-id': `fault-${frames.length}` });
        frames.push(JSON.stringify(r));
        return r;
      };
      expect(
        (await run('mutation($t: String) { createVersion(input: { promptName: "fault", template: $t }) { id } }', { t: 'a\u0000b' })).errors?.[0]?.extensions
          ?.code,
      ).toBe('BAD_USER_INPUT');
      expect((await run('mutation { createPrompt(input: { name: "fault" }) { id } }')).errors?.[0]?.extensions?.code).toBe('CONFLICT');
      // A statement over the 100 ms timeout: a query whose cost Postgres cannot avoid.
      const slow = await run(
        '{ prompts(filter: { search: "%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%" }) { totalCount } }',
      );
      expect(slow.status).toBeLessThan(500);
      redis.cut();
      expect(
        (await run('mutation { createVersion(input: { promptName: "fault", template: "while redis is down" }) { number } }')).data?.createVersion?.number,
      ).toBe(2);
      const wsErrors: unknown[] = [];
      const client = wsClient(server.url, t.key);
      const sub = collect(client, 'subscription { promptChanged { revision } }');
      await sub.waitFor(1, 300).catch(() => undefined);
      pg.cut();
      const down = await run('{ prompts { totalCount } }');
      expect(down.errors?.[0]?.extensions).toMatchObject({ code: 'UNAVAILABLE', requestId: expect.any(String) });
      const ws2 = wsClient(server.url, t.key, { onClose: (code, reason) => wsErrors.push({ code, reason }) });
      const sub2 = collect(ws2, 'subscription { promptChanged { revision } }');
      await sub2.waitFor(1, 1500).catch(() => undefined);
      wsErrors.push(...sub.errors, ...sub2.errors);
      sub.dispose();
      await Promise.all([client.dispose(), ws2.dispose()]);
      for (const f of [...frames, JSON.stringify(wsErrors)]) expect(f).not.toMatch(LEAKS);
      // Each masked error seen by a client carries the request id of a server log line with the details.
      for (const f of frames.map((x) => JSON.parse(x))) {
        const id = f.errors?.[0]?.extensions?.requestId;
        if (f.errors) expect(id).toEqual(expect.any(String));
        if (['UNAVAILABLE', 'INTERNAL_SERVER_ERROR'].includes(f.errors?.[0]?.extensions?.code)) expect(server.logs.some((l) => l.includes(id))).toBe(true);
      }
    } finally {
      pg.restore();
      redis.restore();
      await server.stop();
      await Promise.all([pg.close(), redis.close()]);
    }
  }, 30_000);
});
