/**
 * Single sign-on (OIDC) on real Postgres (a fresh database for this file) against a real provider
 * process; here also what needs SQL or more instances: a sign-in started on one instance and
 * finished on another, an expired sign-in, the purge of old ones, SSO not set up, provider down.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ok } from './helpers/graphql';
import { freePort, ProviderAgent, ssoToCallback, startOidcProvider } from './helpers/oidc';
import { Browser, baseUrlOf } from './helpers/people';
import { createTestDatabase, withSql, type TestDatabase } from './helpers/postgres';
import { startServer, type TestServer } from './helpers/server';
import { OIDC_ACCOUNTS, peopleOidcSuite, useSsoServer } from './suites/people-oidc';

let db: TestDatabase | undefined;
const env = useSsoServer(async (extra) => {
  db = await createTestDatabase();
  return startServer({ databaseUrl: db.url, env: extra });
});
const others: TestServer[] = [];
const stateHash = (state: string) => createHash('sha256').update(state).digest('hex');
const oldState = randomBytes(32).toString('base64url');
beforeAll(async () => {
  // A sign-in abandoned two days ago, before this server's first sign-in (which purges).
  await withSql(
    db!.url,
    (sql) => sql`insert into oidc_logins (state, nonce, code_verifier, created_at) values (${stateHash(oldState)}, 'n', 'v', now() - interval '2 days')`,
  );
});
afterAll(async () => {
  for (const s of others) await s.stop();
  await db?.drop();
});
const codeOf = (body: unknown) => /<code id="code">([A-Z_]+)<\/code>/.exec(String(body))?.[1];

peopleOidcSuite(env);

describe('SSO across instances and over time (Postgres)', () => {
  it('a sign-in started on one instance is finished by another (the pending sign-in is in the database)', async () => {
    const other = await startServer({ databaseUrl: db!.url, env: { ...env.env(), PORT: '0' } });
    others.push(other);
    const browser = new Browser(baseUrlOf(env.server()));
    const callback = new URL(await ssoToCallback(browser, new ProviderAgent(), 'sub-alice'));
    const atOther = `${baseUrlOf(other)}${callback.pathname}${callback.search}`;
    const r = await browser.request(atOther);
    expect(r.status).toBe(303);
    expect((await browser.ok('{ me { user { email } } }')).me.user.email).toBe('alice@allowed.test');
  });

  it('a sign-in that comes back after 10 minutes is refused', async () => {
    const browser = new Browser(baseUrlOf(env.server()));
    const callback = await ssoToCallback(browser, new ProviderAgent(), 'sub-alice');
    const state = new URL(callback).searchParams.get('state')!;
    await withSql(db!.url, (sql) => sql`update oidc_logins set created_at = now() - interval '11 minutes' where state = ${stateHash(state)}`);
    const r = await browser.request(callback);
    expect(r.status).toBe(400);
    expect(codeOf(r.body)).toBe('OIDC_STATE_INVALID');
    expect(browser.cookies.has('pm_session')).toBe(false);
  });

  it('sign-ins older than a day are purged', async () => {
    const left = await withSql(db!.url, (sql) => sql`select count(*)::int as n from oidc_logins where state = ${stateHash(oldState)}`);
    expect(left[0]!.n).toBe(0);
    const recent = await withSql(db!.url, (sql) => sql`select count(*)::int as n from oidc_logins`);
    expect(recent[0]!.n).toBeGreaterThan(0);
  });

  it('without OIDC settings: /auth/config says no SSO and the routes answer a 404 page', async () => {
    const plain = await startServer({ databaseUrl: db!.url });
    others.push(plain);
    const browser = new Browser(baseUrlOf(plain));
    expect((await browser.request('/auth/config')).body).toMatchObject({
      password: true,
      sso: null,
      selfServicePasswordReset: false,
      passwordRules: { minLength: 12 },
    });
    for (const route of ['/auth/oidc/start', '/auth/oidc/callback?state=x&code=y']) {
      const r = await browser.request(route);
      expect(r.status).toBe(404);
      expect(codeOf(r.body)).toBe('OIDC_NOT_CONFIGURED');
    }
  });

  it('a provider that cannot be reached: a 503 page with OIDC_UNAVAILABLE, nothing started; once it is up, the next start works', async () => {
    const port = await freePort();
    const dead = await startServer({ databaseUrl: db!.url, env: { ...env.env(), PORT: '0', OIDC_ISSUER_URL: `http://127.0.0.1:${port}` } });
    others.push(dead);
    const browser = new Browser(baseUrlOf(dead));
    const r = await browser.request('/auth/oidc/start');
    expect(r.status).toBe(503);
    expect(codeOf(r.body)).toBe('OIDC_UNAVAILABLE');
    expect(browser.cookies.has('pm_oidc')).toBe(false);

    const late = await startOidcProvider(`${env.env().PUBLIC_URL}/auth/oidc/callback`, OIDC_ACCOUNTS, port);
    try {
      const again = await browser.request('/auth/oidc/start');
      expect(again.status).toBe(302);
      expect(again.headers.get('location')).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/`));
    } finally {
      await late.stop();
    }
  });

  it('the nonce and the PKCE verifier kept for a sign-in are what the callback checks: either altered, the sign-in fails', async () => {
    for (const column of ['nonce', 'code_verifier'] as const) {
      const browser = new Browser(baseUrlOf(env.server()));
      const callback = await ssoToCallback(browser, new ProviderAgent(), 'sub-alice');
      const state = new URL(callback).searchParams.get('state')!;
      const altered = randomBytes(32).toString('base64url');
      await withSql(db!.url, (sql) => sql`update oidc_logins set ${sql(column)} = ${altered} where state = ${stateHash(state)}`);
      const r = await browser.request(callback);
      expect([column, r.status, codeOf(r.body)]).toEqual([column, 400, 'OIDC_EXCHANGE_FAILED']);
      expect(browser.cookies.has('pm_session')).toBe(false);
    }
  });

  it('a member an ADMIN removed who signs in again with SSO is not added back', async () => {
    const alice = new Browser(baseUrlOf(env.server()));
    expect((await alice.request(await ssoToCallback(alice, new ProviderAgent(), 'sub-alice'))).status).toBe(303);
    const aliceId = (await alice.ok('{ me { user { id } } }')).me.user.id;
    await ok(env.server().url, env.server().adminKey, 'mutation ($u: ID!) { removeMember(userId: $u) { role } }', { u: aliceId });

    const again = new Browser(baseUrlOf(env.server()));
    await again.request(await ssoToCallback(again, new ProviderAgent(), 'sub-alice'));
    expect((await again.gql('{ me { id } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const members = (await ok(env.server().url, env.server().adminKey, '{ members { user { id } } }')).members.map((m: any) => m.user.id);
    expect(members).not.toContain(aliceId);
  });

  it('refused callbacks count as failed sign-ins from the address: past SIGN_IN_ADDRESS_LIMIT, 429 with Retry-After, password sign-in too', async () => {
    const limited = await startServer({ databaseUrl: db!.url, env: { ...env.env(), PORT: '0', SIGN_IN_ADDRESS_LIMIT: '3' } });
    others.push(limited);
    // Its PUBLIC_URL is the first instance's: that is the Origin a browser sends.
    const browser = new Browser(baseUrlOf(limited), env.env().PUBLIC_URL);
    for (let i = 0; i < 3; i++) {
      const r = await browser.request(`/auth/oidc/callback?code=guess${i}&state=${randomBytes(32).toString('base64url')}`);
      expect(codeOf(r.body)).toBe('OIDC_STATE_INVALID');
    }
    const r = await browser.request(`/auth/oidc/callback?code=guess&state=${randomBytes(32).toString('base64url')}`);
    expect(r.status).toBe(429);
    expect(codeOf(r.body)).toBe('OIDC_RATE_LIMITED');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await browser.signIn('nobody@example.com', 'whatever-password-1')).status).toBe(429);
  });
});
