/**
 * People across instances (one Postgres, Redis): a role change, a removal and a password reset made
 * on instance A reach a session cached on instance B at once (well inside B's 5 s session cache),
 * and close B's cookie-authenticated sockets with 4403.
 */
import { createTestDatabase, type TestDatabase } from './helpers/postgres';
import { Browser, baseUrlOf, cookieWsClient, invitePerson, signInAdmin } from './helpers/people';
import { withAdminPerson } from './helpers/people';
import { startServer, type TestServer } from './helpers/server';
import { collect } from './helpers/ws';

let db: TestDatabase;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  a = await startServer({ databaseUrl: db.url, redis: true, env: withAdminPerson() });
  b = await startServer({ databaseUrl: db.url, redis: true, env: withAdminPerson() });
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await db?.drop();
});

/** The same cookie jar pointed at another instance. */
function onInstance(browser: Browser, server: TestServer): Browser {
  const other = new Browser(baseUrlOf(server));
  for (const [k, v] of browser.cookies) other.cookies.set(k, v);
  return other;
}

async function within(ms: number, fn: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

const codeOf = async (browser: Browser, q: string) => (await browser.gql(q)).errors?.[0]?.extensions?.code ?? 'OK';

test('setMemberRole on A: the session cached on B has the new role at once', async () => {
  const admin = await signInAdmin(a);
  const p = { email: `role-${Date.now()}@example.com`, name: 'Role Changer', password: 'a-long-enough-password-3' };
  const { browser, userId } = await invitePerson(admin, p, 'VIEWER');
  const onB = onInstance(browser, b);
  const write = 'mutation { createPrompt(input: { name: "made-on-b" }) { id } }';
  expect((await onB.ok('{ me { role } }')).me.role).toBe('VIEWER'); // cached on B now
  await admin.ok('mutation($id: ID!) { setMemberRole(userId: $id, role: EDITOR) { role } }', { id: userId });
  expect(await within(2000, async () => (await onB.ok('{ me { role } }')).me.role === 'EDITOR')).toBe(true);
  await onB.ok(write);
});

test('removeMember on A: the cookie on B stops and its socket on B closes with 4403, at once', async () => {
  const admin = await signInAdmin(a);
  const p = { email: `gone-${Date.now()}@example.com`, name: 'Soon Gone', password: 'a-long-enough-password-4' };
  const { browser, userId } = await invitePerson(admin, p, 'EDITOR');
  const onB = onInstance(browser, b);
  await onB.ok('{ me { id } }');
  const closes: number[] = [];
  const ws = cookieWsClient(onB, { onClose: (c) => closes.push(c) });
  const sub = collect(ws, 'subscription { promptChanged { promptName } }');
  for (let i = 0; i < 30 && sub.events.length === 0; i++) {
    await admin.ok('mutation($n: String!) { createPrompt(input: { name: $n }) { id } }', { n: `live-${Date.now()}-${i}` });
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(sub.events.length).toBeGreaterThan(0);

  await admin.ok('mutation($id: ID!) { removeMember(userId: $id) { role } }', { id: userId });
  expect(await within(2000, async () => (await codeOf(onB, '{ me { id } }')) === 'UNAUTHENTICATED')).toBe(true);
  expect(await within(2000, async () => closes.includes(4403))).toBe(true);
  await ws.dispose();
});

test('a password reset made on A ends the session cached on B at once', async () => {
  const admin = await signInAdmin(a);
  const p = { email: `reset-${Date.now()}@example.com`, name: 'Forgetful', password: 'a-long-enough-password-5' };
  const { browser, userId } = await invitePerson(admin, p, 'VIEWER');
  const onB = onInstance(browser, b);
  await onB.ok('{ me { id } }');
  const link = (await admin.ok('mutation($id: ID!) { createPasswordResetLink(userId: $id) }', { id: userId })).createPasswordResetLink as string;
  const token = link.split('#token=')[1];
  const r = await new Browser(baseUrlOf(a)).request('/auth/reset-password', { json: { token, password: 'a-brand-new-password-6' } });
  expect(r.status).toBe(200);
  expect(await within(2000, async () => (await codeOf(onB, '{ me { id } }')) === 'UNAUTHENTICATED')).toBe(true);
});

test('sign-out on A: the same cookie replayed on B (where the session is cached) is UNAUTHENTICATED at once', async () => {
  const admin = await signInAdmin(a);
  const p = { email: `out-${Date.now()}@example.com`, name: 'Signs Out', password: 'a-long-enough-password-7' };
  const { browser } = await invitePerson(admin, p, 'VIEWER');
  const stolen = onInstance(browser, b);
  await stolen.ok('{ me { id } }');
  expect((await browser.request('/auth/sign-out', { method: 'POST' })).status).toBe(200);
  expect(await within(2000, async () => (await codeOf(stolen, '{ me { id } }')) === 'UNAUTHENTICATED')).toBe(true);
});
