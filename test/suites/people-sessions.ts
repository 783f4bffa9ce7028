/**
 * Sign-in, cookie sessions and their CSRF / cross-site WebSocket defences, run against each storage
 * mode (people-*.test.ts). The server was started with ADMIN_EMAIL / ADMIN_PASSWORD (withAdminPerson).
 */
import { gql, ok } from '../helpers/graphql';
import { ADMIN_PERSON, Browser, baseUrlOf, cookieWsClient, signInAdmin } from '../helpers/people';
import { collect } from '../helpers/ws';
import type { TestServer } from '../helpers/server';

const ME = '{ me { id name role isInstanceAdmin workspace { id name } user { id email name } memberships { role workspace { id name } } } }';

export function peopleSessionsSuite(getServer: () => TestServer) {
  let server: TestServer;
  let base: string;
  beforeAll(() => {
    server = getServer();
    base = baseUrlOf(server);
  });

  test('ADMIN_EMAIL + ADMIN_PASSWORD: the first person signs in (any email case) and is an instance admin of the default workspace', async () => {
    const b = new Browser(base);
    const r = await b.signIn(ADMIN_PERSON.email.toUpperCase(), ADMIN_PERSON.password);
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ email: ADMIN_PERSON.email, name: 'Admin.Person' });
    const me = (await b.ok(ME)).me;
    expect(me).toMatchObject({ role: 'ADMIN', isInstanceAdmin: true, workspace: { name: 'default' }, user: { email: ADMIN_PERSON.email } });
    expect(me.memberships).toEqual([{ role: 'ADMIN', workspace: me.workspace }]);
  });

  test('the session cookie is opaque, httpOnly, SameSite=Lax, Path=/ (no Secure over plain http), and new at every sign-in', async () => {
    const a = new Browser(base);
    const r1 = await a.signIn(ADMIN_PERSON.email, ADMIN_PERSON.password);
    const cookie = r1.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^pm_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    const first = a.cookies.get('pm_session');
    await a.signIn(ADMIN_PERSON.email, ADMIN_PERSON.password);
    expect(a.cookies.get('pm_session')).not.toBe(first);
  });

  test('a wrong password and an unknown email get the same 401 answer', async () => {
    const b = new Browser(base);
    const wrong = await b.signIn(ADMIN_PERSON.email, 'not-the-password-at-all');
    const unknown = await b.signIn('nobody-here@example.com', 'not-the-password-at-all');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('UNAUTHENTICATED');
    expect(b.cookies.size).toBe(0);
  });

  test('after 10 failures for one account, sign-in says only "try again later" (429), and the lock is audited', async () => {
    const b = new Browser(base);
    const email = `locked-${Date.now()}@example.com`;
    for (let i = 0; i < 10; i++) expect((await b.signIn(email, `wrong-password-${i}-xx`)).status).toBe(401);
    const locked = await b.signIn(email, 'wrong-password-final');
    expect(locked.status).toBe(429);
    expect(locked.body).toEqual({ error: { code: 'RATE_LIMITED', message: 'Too many attempts; try again later.' } });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account from the same address is not locked by it.
    expect((await b.signIn(ADMIN_PERSON.email, ADMIN_PERSON.password)).status).toBe(200);
    const audit = (await b.ok('{ auditLog(first: 200, filter: { action: "signIn.locked" }) { edges { node { target } } } }')).auditLog.edges.map(
      (e: any) => e.node.target,
    );
    expect(audit).toContain(email);
  });

  test('bad sign-in bodies get clear JSON errors, never a crash', async () => {
    const b = new Browser(base);
    expect((await b.request('/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, json: undefined })).status).toBe(401);
    const notJson = await fetch(`${base}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as any).error.code).toBe('BAD_REQUEST');
    const array = await b.request('/auth/sign-in', { json: [1, 2] });
    expect(array.status).toBe(400);
    const typed = await b.request('/auth/sign-in', { json: { email: { $ne: 1 }, password: 5 } });
    expect(typed.status).toBe(401);
    expect((await b.request('/auth/sign-in', { method: 'GET' })).status).toBe(405);
  });

  test('a cookie from a foreign Origin, or with no Origin at all, is refused with 403 FORBIDDEN before anything runs', async () => {
    const b = await signInAdmin(server);
    const before = (await b.ok('{ prompts { totalCount } }')).prompts.totalCount;
    b.origin = 'https://evil.example';
    const foreign = await b.request('/graphql', { json: { query: 'mutation { createPrompt(input: { name: "csrf-attempt" }) { id } }' } });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
    b.origin = null;
    const none = await b.request('/graphql', { json: { query: 'mutation { createPrompt(input: { name: "csrf-attempt" }) { id } }' } });
    expect(none.status).toBe(403);
    b.origin = base;
    expect(await b.ok('{ prompts { totalCount } prompt(name: "csrf-attempt") { id } }')).toEqual({ prompts: { totalCount: before }, prompt: null });
    // A simple cross-site form post is refused too (Apollo's CSRF prevention stays on).
    const form = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', cookie: b.cookieHeader(), origin: base },
      body: '{"query":"{ me { id } }"}',
    });
    expect(form.status).toBe(400);
  });

  test('sign-in from a foreign Origin is refused (login CSRF)', async () => {
    const b = new Browser(base, 'https://evil.example');
    const r = await b.signIn(ADMIN_PERSON.email, ADMIN_PERSON.password);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('FORBIDDEN');
    expect(b.cookies.size).toBe(0);
  });

  test('keys keep working exactly as before, whatever Origin or cookie comes along', async () => {
    const b = await signInAdmin(server);
    const r = await gql(server.url, server.adminKey, '{ me { name user { id } memberships { role } } }', undefined, {
      origin: 'https://evil.example',
      cookie: b.cookieHeader(),
    });
    expect(r.errors).toBeUndefined();
    expect(r.data.me).toEqual({ name: 'admin (ADMIN_API_KEY)', user: null, memberships: [] });
  });

  test('x-workspace-id of a workspace the person is not a member of is FORBIDDEN, nothing of it is read', async () => {
    const b = await signInAdmin(server);
    const other = await ok(server.url, server.adminKey, 'mutation { createWorkspace(name: "not-mine") { workspace { id } adminKey } }');
    const { workspace, adminKey } = other.createWorkspace;
    await ok(server.url, adminKey, 'mutation { createPrompt(input: { name: "secret-of-other", version: { template: "x" } }) { id } }');
    await b.fails('{ prompts { totalCount edges { node { name } } } }', undefined, 'FORBIDDEN', { workspaceId: workspace.id });
    await b.fails('{ prompt(name: "secret-of-other") { id } }', undefined, 'FORBIDDEN', { workspaceId: workspace.id });
    await b.fails('{ me { id } }', undefined, 'FORBIDDEN', { workspaceId: 'not-a-uuid' });
    expect((await b.ok('{ prompt(name: "secret-of-other") { id } }')).prompt).toBeNull();
  });

  test('sign-out ends the session: the same cookie replayed afterwards is UNAUTHENTICATED', async () => {
    const b = await signInAdmin(server);
    const stolen = b.cookieHeader();
    await b.ok('{ me { id } }');
    const out = await b.request('/auth/sign-out', { method: 'POST' });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie()[0]).toMatch(/^pm_session=; .*Max-Age=0/);
    const replay = await gql(server.url, null, '{ me { id } }', undefined, { cookie: stolen, origin: base });
    expect(replay.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  test('a person lists their sessions, revokes one (its cookie stops at once), and the list marks the current one', async () => {
    const a = await signInAdmin(server);
    const other = await signInAdmin(server);
    const otherId = (await other.ok('{ sessions { id current } }')).sessions.find((s: any) => s.current).id;
    const list = (await a.ok('{ sessions { id current createdAt lastSeenAt expiresAt userAgent } }')).sessions;
    expect(list.filter((s: any) => s.current)).toHaveLength(1);
    expect(list.map((s: any) => s.id)).toContain(otherId);
    const revoked = (await a.ok('mutation($id: ID!) { revokeSession(id: $id) { id current } }', { id: otherId })).revokeSession;
    expect(revoked).toEqual({ id: otherId, current: false });
    await other.fails('{ me { id } }', undefined, 'UNAUTHENTICATED');
    await a.fails('mutation { revokeSession(id: "00000000-0000-0000-0000-000000000000") { id } }', undefined, 'NOT_FOUND');
    await a.ok('{ me { id } }');
  });

  test('over WebSocket a session cookie subscribes from an allowed Origin; from a foreign Origin the upgrade is closed with 4403', async () => {
    const b = await signInAdmin(server);
    const closes: number[] = [];
    const evil = cookieWsClient(b, { origin: 'https://evil.example', onClose: (code) => closes.push(code) });
    const refused = collect(evil, 'subscription { promptChanged { promptName } }');
    expect(await refused.waitFor(1, 5000)).toEqual([]);
    expect(refused.errors.length).toBeGreaterThan(0);
    expect(closes).toContain(4403);
    await evil.dispose();

    const client = cookieWsClient(b);
    const sub = collect(client, 'subscription { promptChanged { promptName actor { name email } } }');
    const name = `ws-${Date.now()}`;
    // Keep creating until the subscription is live (its subscribe may land after the first change).
    for (let i = 0; i < 20 && sub.events.length === 0 && sub.errors.length === 0; i++) {
      await b.ok('mutation($n: String!) { createPrompt(input: { name: $n, version: { template: "hi" } }) { id } }', { n: `${name}-${i}` });
      await new Promise((r) => setTimeout(r, 100));
    }
    const events = await sub.waitFor(1);
    expect(sub.errors).toEqual([]);
    expect(events[0].promptChanged.actor).toEqual({ name: 'Admin.Person', email: ADMIN_PERSON.email });
    sub.dispose();
    await client.dispose();
  });

  test('a person on the record: createdBy, label history and audit name the person with their email', async () => {
    const b = await signInAdmin(server);
    const name = `record-${Date.now()}`;
    await b.ok('mutation($n: String!) { createPrompt(input: { name: $n, version: { template: "v1" } }) { id } }', { n: name });
    const v2 = (await b.ok('mutation($n: String!) { createVersion(input: { promptName: $n, template: "v2" }) { id } }', { n: name })).createVersion;
    await b.ok('mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "production", versionId: $v) { revision } }', { n: name, v: v2.id });
    const d = await b.ok(
      'query($n: String!) { prompt(name: $n) { createdBy { name email } latestVersion { createdBy { id name email } } labelHistory { label actor { name email } } } me { user { id } } }',
      { n: name },
    );
    const person = { name: 'Admin.Person', email: ADMIN_PERSON.email };
    expect(d.prompt.createdBy).toEqual(person);
    expect(d.prompt.latestVersion.createdBy).toEqual({ id: d.me.user.id, ...person });
    expect(d.prompt.labelHistory[0]).toEqual({ label: 'production', actor: person });
    const audit = (await b.ok('{ auditLog(first: 100) { edges { node { action actor { name email } } } } }')).auditLog.edges.map((e: any) => e.node);
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'signIn', actor: person },
        { action: 'signIn.failed', actor: { name: ADMIN_PERSON.email.toLowerCase(), email: null } },
      ]),
    );
    // Keys stay keys: their actor has no email.
    const byKey = (await ok(server.url, server.adminKey, 'query($n: String!) { prompt(name: $n) { labelHistory { actor { name email } } } }', { n: name }))
      .prompt;
    expect(byKey.labelHistory[0].actor).toEqual(person);
  });

  test('changePassword checks the current one and the policy, then ends every other session', async () => {
    // A person of their own, so the other tests keep the first person's password.
    const admin = await signInAdmin(server);
    const stayer = await signInAdmin(server);
    await admin.fails('mutation { changePassword(currentPassword: "wrong-password-123", newPassword: "another-long-password-7") }', undefined, 'FORBIDDEN');
    const weak = await admin.gql('mutation($p: String!) { changePassword(currentPassword: $p, newPassword: "short") }', { p: ADMIN_PERSON.password });
    expect(weak.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    const common = await admin.gql('mutation($p: String!) { changePassword(currentPassword: $p, newPassword: "password1234") }', { p: ADMIN_PERSON.password });
    expect(common.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    await admin.ok('mutation($p: String!, $n: String!) { changePassword(currentPassword: $p, newPassword: $n) }', {
      p: ADMIN_PERSON.password,
      n: `${ADMIN_PERSON.password}-new`,
    });
    await admin.ok('{ me { id } }');
    await stayer.fails('{ me { id } }', undefined, 'UNAUTHENTICATED');
    // Put it back for the other tests of this file.
    await admin.ok('mutation($p: String!, $n: String!) { changePassword(currentPassword: $p, newPassword: $n) }', {
      n: ADMIN_PERSON.password,
      p: `${ADMIN_PERSON.password}-new`,
    });
  });
}
