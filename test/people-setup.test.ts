/**
 * First start without ADMIN_EMAIL / ADMIN_PASSWORD: a fresh server logs a one-time set-up link
 * (`/setup#token=…`, valid 24 h); POST /auth/setup with its token lets the first person create their
 * account (instance admin, ADMIN of the default workspace, signed in). Once anybody has an account,
 * the link is spent and no start logs another. On the embedded default and on Postgres.
 */
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from './helpers/postgres';
import { Browser, baseUrlOf, signIn, tokenOf } from './helpers/people';
import { startServer, type TestServer } from './helpers/server';

const SETUP_LINE = /open (http:\/\/\S+\/setup#token=[A-Za-z0-9_-]{43}) to create the first one/g;
const setupLinks = (server: TestServer) => [...server.logs.join('').matchAll(SETUP_LINE)].map((m) => m[1]!);
const FIRST = { email: 'First.Person@example.com', name: 'First Person', password: 'the-very-first-password-1' };

describe.each(['pglite', 'postgres'] as const)('set-up link on %s', (mode) => {
  let db: TestDatabase | undefined;
  let server: TestServer;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    if (mode === 'postgres') db = await createTestDatabase();
    server = await startServer({ databaseUrl: db?.url });
    servers.push(server);
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await db?.drop();
  });

  test('logged once at first start, valid 24 h; it creates the first person, an instance admin signed in; then it is spent', async () => {
    const links = setupLinks(server);
    expect(links).toHaveLength(1);
    const link = links[0]!;
    expect(link.startsWith(`${baseUrlOf(server)}/setup#token=`.replace('127.0.0.1', 'localhost'))).toBe(true);
    const rows = await server.app.services.db.execute(sql`select expires_at - created_at as ttl, role from invitations where kind = 'SETUP'`);
    const row = ((rows as { rows?: unknown[] }).rows ?? rows) as { ttl: unknown; role: string }[];
    expect(row).toHaveLength(1);
    expect(String(row[0]!.ttl)).toMatch(/^(24:00:00|1 day)/);

    const post = (body: Record<string, unknown>) => new Browser(baseUrlOf(server)).request('/auth/setup', { json: body });
    expect((await post({ ...FIRST, token: 'C'.repeat(43) })).status).toBe(404);
    const weak = await post({ ...FIRST, token: tokenOf(link), password: 'short' });
    expect([weak.status, weak.body.error.field]).toEqual([400, 'password']);
    const noEmail = await post({ ...FIRST, token: tokenOf(link), email: 'nope' });
    expect([noEmail.status, noEmail.body.error.field]).toEqual([400, 'email']);

    const jar = new Browser(baseUrlOf(server));
    const r = await jar.request('/auth/setup', { json: { ...FIRST, token: tokenOf(link) } });
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ email: FIRST.email.toLowerCase(), name: FIRST.name });
    const me = (await jar.ok('{ me { role isInstanceAdmin workspace { name } user { email } } }')).me;
    expect(me).toEqual({ role: 'ADMIN', isInstanceAdmin: true, workspace: { name: 'default' }, user: { email: FIRST.email.toLowerCase() } });
    // The instance admin person creates workspaces like the first admin key.
    await jar.ok('mutation { createWorkspace(name: "made-by-first-person") { workspace { id } } }');
    await signIn(server, FIRST.email, FIRST.password);

    const replay = await post({ email: 'second@example.com', name: 'Second', password: 'another-strong-pass-2', token: tokenOf(link) });
    expect(replay.status).toBe(404);
    const audit = (await jar.ok('{ auditLog(first: 50, filter: { action: "setup.complete" }) { edges { node { actor { email } after } } } }')).auditLog.edges;
    expect(audit[0].node).toMatchObject({ actor: { email: FIRST.email.toLowerCase() }, after: { isInstanceAdmin: true, newAccount: true } });
  });

  if (mode === 'postgres')
    test('a later start, once somebody has an account, logs no set-up link', async () => {
      const again = await startServer({ databaseUrl: db!.url });
      servers.push(again);
      expect(setupLinks(again)).toEqual([]);
    });
});

test('a start with ADMIN_EMAIL and ADMIN_PASSWORD logs no set-up link', async () => {
  const server = await startServer({ env: { ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'an-admin-password-77' } });
  try {
    expect(setupLinks(server)).toEqual([]);
  } finally {
    await server.stop();
  }
});
