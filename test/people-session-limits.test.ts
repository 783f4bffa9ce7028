/**
 * Session and sign-in limits on servers of their own (embedded default): the per-client-address
 * sign-in limit (failures from one address lock that address only, across accounts), idle and
 * absolute session expiry, and the `__Host-` Secure cookie when PUBLIC_URL is https.
 */
import http from 'node:http';
import { gql } from './helpers/graphql';
import { ADMIN_PERSON, Browser, baseUrlOf, signInAdmin, withAdminPerson } from './helpers/people';
import { startServer, type TestServer } from './helpers/server';

const servers: TestServer[] = [];
const start = async (env: Record<string, string>) => {
  const s = await startServer({ env: withAdminPerson(env) });
  servers.push(s);
  return s;
};
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** POST /auth/sign-in from a chosen loopback source address (127.0.0.2 is another client to the server). */
function signInFrom(server: TestServer, localAddress: string, email: string, password: string): Promise<{ status: number; body: any }> {
  const body = JSON.stringify({ email, password });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: '/auth/sign-in',
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('sign-in is limited per client address: failures on many accounts lock that address (even for a right password), not another', async () => {
  const server = await start({ SIGN_IN_ADDRESS_LIMIT: '5', SIGN_IN_ACCOUNT_LIMIT: '1000' });
  for (let i = 0; i < 5; i++) expect((await signInFrom(server, '127.0.0.2', `nobody-${i}@example.com`, 'a-wrong-password-1')).status).toBe(401);
  const locked = await signInFrom(server, '127.0.0.2', ADMIN_PERSON.email, ADMIN_PERSON.password);
  expect(locked).toEqual({ status: 429, body: { error: { code: 'RATE_LIMITED', message: 'Too many attempts; try again later.' } } });
  // Another address is not locked by it.
  expect((await signInFrom(server, '127.0.0.3', ADMIN_PERSON.email, ADMIN_PERSON.password)).status).toBe(200);
  const admin = await signInAdmin(server);
  const locks = (await admin.ok('{ auditLog(first: 50, filter: { action: "signIn.locked" }) { totalCount } }')).auditLog.totalCount;
  expect(locks).toBeGreaterThan(0);
});

describe('session expiry (idle 1.5 s, absolute 4 s)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await start({ SESSION_IDLE_TIMEOUT_MS: '1500', SESSION_MAX_AGE_MS: '4000' });
  });

  test('a session unused for longer than the idle timeout has ended', async () => {
    const b = await signInAdmin(server);
    await b.ok('{ me { id } }');
    await sleep(2000);
    await b.fails('{ me { id } }', undefined, 'UNAUTHENTICATED');
  });

  test('a session in use ends at its absolute end anyway; the cookie says so too', async () => {
    const b = new Browser(baseUrlOf(server));
    const r = await b.signIn(ADMIN_PERSON.email, ADMIN_PERSON.password);
    expect(r.headers.getSetCookie()[0]).toMatch(/Max-Age=4(;|$)/);
    const started = Date.now();
    const outcomes: { at: number; code: string }[] = [];
    while (Date.now() - started < 5000) {
      const res = await b.gql('{ me { id } }');
      outcomes.push({ at: Date.now() - started, code: res.errors?.[0]?.extensions?.code ?? 'OK' });
      await sleep(300);
    }
    // Used every 300 ms (never idle), fine well before the end, ended after it.
    expect(outcomes.filter((o) => o.at < 3000).every((o) => o.code === 'OK')).toBe(true);
    expect(outcomes.filter((o) => o.at > 4300).map((o) => o.code)).toEqual(expect.arrayContaining(['UNAUTHENTICATED']));
    expect(outcomes.filter((o) => o.at > 4300).every((o) => o.code === 'UNAUTHENTICATED')).toBe(true);
  });
});

test('with an https PUBLIC_URL the cookie is __Host-pm_session, Secure, Path=/ and without Domain; only that name authenticates', async () => {
  const publicUrl = 'https://prompts.example.com';
  const server = await start({ PUBLIC_URL: publicUrl });
  const b = new Browser(baseUrlOf(server), publicUrl);
  const r = await b.signIn(ADMIN_PERSON.email, ADMIN_PERSON.password);
  expect(r.status).toBe(200);
  const cookie = r.headers.getSetCookie()[0]!;
  expect(cookie).toMatch(/^__Host-pm_session=[A-Za-z0-9_-]{43}; /);
  expect(cookie).toContain('; Secure');
  expect(cookie).toContain('Path=/');
  expect(cookie).toContain('HttpOnly');
  expect(cookie).not.toMatch(/domain=/i);
  expect((await b.ok('{ me { user { email } } }')).me.user.email).toBe(ADMIN_PERSON.email);
  // The same token under the plain name is nobody.
  const token = b.cookies.get('__Host-pm_session')!;
  const plain = await gql(server.url, null, '{ me { id } }', undefined, { cookie: `pm_session=${token}`, origin: publicUrl });
  expect(plain.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  // The Origin allowed is PUBLIC_URL's, not the Host's.
  b.origin = baseUrlOf(server);
  expect((await b.request('/graphql', { json: { query: 'mutation { createPrompt(input: { name: "x" }) { id } }' } })).status).toBe(403);
});

test('an unknown email and a wrong password take the same time (R29): medians of 50 interleaved tries (25 each) within 25% of each other', async () => {
  const server = await start({ SIGN_IN_ACCOUNT_LIMIT: '1000', SIGN_IN_ADDRESS_LIMIT: '1000' });
  const b = new Browser(baseUrlOf(server));
  const timed = async (email: string) => {
    const t0 = process.hrtime.bigint();
    const r = await b.signIn(email, 'a-wrong-password-for-timing');
    expect(r.status).toBe(401);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  // Warm both paths (the decoy hash is made at the first unknown email).
  await timed('warm-up-unknown@example.com');
  await timed(ADMIN_PERSON.email);
  const unknown: number[] = [];
  const wrong: number[] = [];
  for (let i = 0; i < 25; i++) {
    unknown.push(await timed(`unknown-${i}@example.com`));
    wrong.push(await timed(ADMIN_PERSON.email));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const ratio = median(unknown) / median(wrong);
  // Without the decoy hash an unknown email answers in about a millisecond, a wrong password in tens of them.
  expect(ratio).toBeGreaterThan(0.75);
  expect(ratio).toBeLessThan(1.33);
}, 240_000);
