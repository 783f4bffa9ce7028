/**
 * Single sign-on against a real OIDC provider process: the whole authorization code flow (PKCE,
 * state, nonce) driven by plain HTTP clients with cookie jars, redirects followed by hand.
 * Run on Postgres and on the embedded default (people-oidc-*.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { ok } from '../helpers/graphql';
import { ADMIN_PERSON, Browser, baseUrlOf, withAdminPerson } from '../helpers/people';
import { freePort, OIDC_CLIENT, ProviderAgent, ssoToCallback, startOidcProvider, type OidcAccount, type OidcProviderProcess } from '../helpers/oidc';
import type { TestServer } from '../helpers/server';

export const OIDC_ACCOUNTS: Record<string, OidcAccount> = {
  'sub-alice': { email: 'alice@allowed.test', email_verified: true, name: 'Alice Example' },
  'sub-admin': { email: ADMIN_PERSON.email.toLowerCase(), email_verified: true, name: 'Admin via SSO' },
  'sub-mallory': { email: 'mallory@elsewhere.test', email_verified: true, name: 'Mallory' },
  'sub-bob': { email: 'bob@allowed.test', email_verified: false, name: 'Bob' },
  'sub-alice-twin': { email: 'Alice@allowed.test', email_verified: true, name: 'Not Alice' },
  'sub-nomail': { name: 'No Mail' },
};

/**
 * Starts the provider (redirecting to the app's future port), then the app through `start` with the
 * env SSO needs. Registers the hooks; the getters read the running pair.
 */
export function useSsoServer(start: (env: Record<string, string>) => Promise<TestServer>) {
  let provider: OidcProviderProcess | undefined;
  let server: TestServer | undefined;
  let appEnv: Record<string, string> = {};
  beforeAll(async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    provider = await startOidcProvider(`${publicUrl}/auth/oidc/callback`, OIDC_ACCOUNTS);
    server = await start(
      (appEnv = withAdminPerson({
        PORT: String(port),
        PUBLIC_URL: publicUrl,
        OIDC_ISSUER_URL: provider.issuer,
        OIDC_CLIENT_ID: OIDC_CLIENT.id,
        OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
        OIDC_DEFAULT_ROLE: 'EDITOR',
        OIDC_ALLOWED_DOMAINS: 'allowed.test, other.test',
      })),
    );
  });
  afterAll(async () => {
    await server?.stop();
    await provider?.stop();
  });
  return { server: () => server!, provider: () => provider!, env: () => appEnv };
}

const ME = '{ me { id name user { id email name } memberships { role workspace { id } } } }';

export function peopleOidcSuite(env: { server: () => TestServer; provider: () => OidcProviderProcess }) {
  const base = () => baseUrlOf(env.server());
  const admin = <T = any>(query: string, variables?: Record<string, unknown>) => ok<T>(env.server().url, env.server().adminKey, query, variables);
  const audit = async (action: string) =>
    (
      await admin(
        `query ($a: String) { auditLog(first: 100, filter: { action: $a }) { edges { node { action target targetId actor { id name email } after } } } }`,
        {
          a: action,
        },
      )
    ).auditLog.edges.map((e: any) => e.node);
  const codeOf = (body: unknown) => /<code id="code">([A-Z_]+)<\/code>/.exec(String(body))?.[1];

  it('GET /auth/config tells the sign-in page that SSO is available', async () => {
    const r = await new Browser(base()).request('/auth/config');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ password: true, sso: { protocol: 'oidc', startUrl: '/auth/oidc/start' } });
  });

  it('start redirects to the provider with PKCE (S256), state and nonce, and binds the state to the browser', async () => {
    const browser = new Browser(base());
    const r = await browser.request('/auth/oidc/start');
    expect(r.status).toBe(302);
    const url = new URL(r.headers.get('location')!);
    expect(url.origin).toBe(env.provider().issuer);
    const q = url.searchParams;
    expect(q.get('client_id')).toBe(OIDC_CLIENT.id);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('redirect_uri')).toBe(`${base()}/auth/oidc/callback`);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('nonce')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(q.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['openid', 'email']));
    expect(browser.cookies.get('pm_oidc')).toBe(q.get('state'));
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('pm_oidc='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('a first sign-in from an allowed domain creates the person with OIDC_DEFAULT_ROLE; the cookie then works for `me`; audited', async () => {
    const browser = new Browser(base());
    const callback = await ssoToCallback(browser, new ProviderAgent(), 'sub-alice');
    const r = await browser.request(callback);
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/ui/');
    expect(browser.cookies.get('pm_session')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser.cookies.has('pm_oidc')).toBe(false);

    const me = (await browser.ok(ME)).me;
    const workspaceId = (await admin('{ me { workspace { id } } }')).me.workspace.id;
    expect(me.user).toEqual({ id: me.id, email: 'alice@allowed.test', name: 'Alice Example' });
    expect(me.memberships).toEqual([{ role: 'EDITOR', workspace: { id: workspaceId } }]);

    const created = (await audit('user.create')).find((e: any) => e.target === 'alice@allowed.test');
    expect(created).toMatchObject({ targetId: me.id, actor: { id: me.id, email: 'alice@allowed.test' }, after: { role: 'EDITOR', via: 'oidc' } });
    const signIn = (await audit('signIn')).find((e: any) => e.actor.id === me.id);
    expect(signIn.after).toMatchObject({ method: 'oidc' });

    // The second time, the same provider identity is the same person (no second account, no second creation).
    const again = new Browser(base());
    expect((await again.request(await ssoToCallback(again, new ProviderAgent(), 'sub-alice'))).status).toBe(303);
    expect((await again.ok(ME)).me.user.id).toBe(me.id);
    expect((await audit('user.create')).filter((e: any) => e.target === 'alice@allowed.test')).toHaveLength(1);
  });

  it('an existing person is linked by their verified email and keeps their account and role', async () => {
    const passwordAdmin = new Browser(base());
    expect((await passwordAdmin.signIn(ADMIN_PERSON.email, ADMIN_PERSON.password)).status).toBe(200);
    const before = (await passwordAdmin.ok(ME)).me;

    const browser = new Browser(base());
    expect((await browser.request(await ssoToCallback(browser, new ProviderAgent(), 'sub-admin'))).status).toBe(303);
    const me = (await browser.ok(ME)).me;
    expect(me.user).toEqual(before.user);
    expect(me.memberships).toEqual(before.memberships);
    expect((await audit('user.linkSso')).map((e: any) => e.targetId)).toContain(before.user.id);
    // The password still works too.
    expect((await new Browser(base()).signIn(ADMIN_PERSON.email, ADMIN_PERSON.password)).status).toBe(200);
  });

  it('a bad state is refused with a page and a code: altered, or brought by another browser (login CSRF); no session', async () => {
    const browser = new Browser(base());
    const callback = await ssoToCallback(browser, new ProviderAgent(), 'sub-alice');
    const altered = new URL(callback);
    altered.searchParams.set('state', randomBytes(32).toString('base64url'));
    const r = await browser.request(altered.href);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(codeOf(r.body)).toBe('OIDC_STATE_INVALID');
    expect(browser.cookies.has('pm_session')).toBe(false);

    // The attacker's own callback URL, sent to a victim whose browser did not start it.
    const victim = new Browser(base());
    const v = await victim.request(callback);
    expect(v.status).toBe(400);
    expect(codeOf(v.body)).toBe('OIDC_STATE_INVALID');
    expect(victim.cookies.has('pm_session')).toBe(false);
    expect((await victim.gql(ME)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const refused = await audit('signIn.refused');
    expect(refused.filter((e: any) => e.after.code === 'OIDC_STATE_INVALID').length).toBeGreaterThanOrEqual(2);
  });

  it('a replayed code is refused: the same callback twice, and the used code with a fresh state', async () => {
    const browser = new Browser(base());
    const callback = await ssoToCallback(browser, new ProviderAgent(), 'sub-alice');
    const state = browser.cookies.get('pm_oidc');
    expect((await browser.request(callback)).status).toBe(303);

    // Replaying the exact callback: its state was used once.
    const replayer = new Browser(base());
    replayer.cookies.set('pm_oidc', state!);
    const replay = await replayer.request(callback);
    expect(replay.status).toBe(400);
    expect(codeOf(replay.body)).toBe('OIDC_STATE_INVALID');
    expect(replayer.cookies.has('pm_session')).toBe(false);

    // The used code with a freshly started sign-in's state: the provider refuses the code.
    const fresh = new Browser(base());
    const started = await fresh.request('/auth/oidc/start');
    const newState = new URL(started.headers.get('location')!).searchParams.get('state')!;
    const forged = new URL(callback);
    forged.searchParams.set('state', newState);
    const r = await fresh.request(forged.href);
    expect(r.status).toBe(400);
    expect(codeOf(r.body)).toBe('OIDC_EXCHANGE_FAILED');
    expect(fresh.cookies.has('pm_session')).toBe(false);
    expect((await audit('signIn.refused')).some((e: any) => e.after.code === 'OIDC_EXCHANGE_FAILED')).toBe(true);
  });

  it('an email outside OIDC_ALLOWED_DOMAINS is refused with a clear page; nobody is created; audited', async () => {
    const browser = new Browser(base());
    const r = await browser.request(await ssoToCallback(browser, new ProviderAgent(), 'sub-mallory'));
    expect(r.status).toBe(403);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(codeOf(r.body)).toBe('OIDC_DOMAIN_NOT_ALLOWED');
    expect(String(r.body)).toContain('@elsewhere.test');
    expect(browser.cookies.has('pm_session')).toBe(false);
    expect((await audit('user.create')).some((e: any) => e.target === 'mallory@elsewhere.test')).toBe(false);
    const refused = (await audit('signIn.refused')).find((e: any) => e.target === 'mallory@elsewhere.test');
    expect(refused.after).toMatchObject({ method: 'oidc', code: 'OIDC_DOMAIN_NOT_ALLOWED' });
  });

  it('an email the provider has not verified neither creates nor links an account', async () => {
    const browser = new Browser(base());
    const r = await browser.request(await ssoToCallback(browser, new ProviderAgent(), 'sub-bob'));
    expect(r.status).toBe(403);
    expect(codeOf(r.body)).toBe('OIDC_EMAIL_UNVERIFIED');
    expect(browser.cookies.has('pm_session')).toBe(false);
  });

  it('a person created by SSO has no password: password sign-in gets the same 401 as a wrong password', async () => {
    const browser = new Browser(base());
    expect((await browser.request(await ssoToCallback(browser, new ProviderAgent(), 'sub-alice'))).status).toBe(303);
    const r = await new Browser(base()).signIn('alice@allowed.test', 'any-long-password-123');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('UNAUTHENTICATED');
  });

  it("another provider identity with an account's email is refused, not merged into it", async () => {
    const alice = new Browser(base());
    expect((await alice.request(await ssoToCallback(alice, new ProviderAgent(), 'sub-alice'))).status).toBe(303);
    const aliceId = (await alice.ok(ME)).me.user.id;

    const twin = new Browser(base());
    const r = await twin.request(await ssoToCallback(twin, new ProviderAgent(), 'sub-alice-twin'));
    expect(r.status).toBe(403);
    expect(codeOf(r.body)).toBe('OIDC_IDENTITY_CONFLICT');
    expect(twin.cookies.has('pm_session')).toBe(false);
    const refused = (await audit('signIn.refused')).find((e: any) => e.after.code === 'OIDC_IDENTITY_CONFLICT');
    expect(refused.targetId).toBe(aliceId);
  });

  it('no email from the provider, or a person who cancels there: refused with their own codes', async () => {
    const noMail = new Browser(base());
    const r = await noMail.request(await ssoToCallback(noMail, new ProviderAgent(), 'sub-nomail'));
    expect(r.status).toBe(403);
    expect(codeOf(r.body)).toBe('OIDC_EMAIL_MISSING');

    const cancelled = new Browser(base());
    const c = await cancelled.request(await ssoToCallback(cancelled, new ProviderAgent(), 'sub-alice', { cancel: true }));
    expect(c.status).toBe(400);
    expect(codeOf(c.body)).toBe('OIDC_PROVIDER_ERROR');
    expect(String(c.body)).toContain('access_denied');
    expect(cancelled.cookies.has('pm_session')).toBe(false);
  });

  it('returnTo brings the person back to the dashboard page they asked for, never to another site', async () => {
    const cases: Array<[string, string]> = [
      ['/ui/prompts/support/classifier?tab=history', '/ui/prompts/support/classifier?tab=history'],
      ['//evil.example/ui/', '/ui/'],
      ['/\\evil.example', '/ui/'],
      ['https://evil.example/', '/ui/'],
    ];
    for (const [returnTo, landing] of cases) {
      const browser = new Browser(base());
      const callback = await ssoToCallback(browser, new ProviderAgent(), 'sub-alice', { start: `/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}` });
      const r = await browser.request(callback);
      expect(r.status).toBe(303);
      expect(r.headers.get('location')).toBe(landing);
    }
  });
}
