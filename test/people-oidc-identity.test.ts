/** The pure parts of SSO: its configuration, what an identity from the provider may do here, and the SSO cookie's shape. */
import { loadConfig } from '../src/config';
import type { UserRow } from '../src/db/schema';
import { clearOidcCookie, cookieValue, oidcCookieName, serializeOidcCookie } from '../src/people/cookies';
import { decideOidcSignIn, identityFrom } from '../src/people/oidc-identity';
import { safeReturnPath } from '../src/server/oidc-routes';

const user = (over: Partial<UserRow> = {}): UserRow => ({
  id: 'u1',
  email: 'Ada@Acme.com',
  name: 'Ada',
  passwordHash: null,
  isInstanceAdmin: false,
  oidcIssuer: null,
  oidcSubject: null,
  createdAt: new Date(),
  ...over,
});
const ISSUER = 'https://idp.example';

describe('identityFrom', () => {
  it('reads sub, email, email_verified (boolean or "true") and name; an email without @ counts as none', () => {
    expect(identityFrom(ISSUER, { sub: 's', email: ' ada@acme.com ', email_verified: 'true', name: ' Ada ' })).toEqual({
      issuer: ISSUER,
      subject: 's',
      email: 'ada@acme.com',
      emailVerified: true,
      name: 'Ada',
    });
    expect(identityFrom(ISSUER, { sub: 's', email: 'nope', email_verified: 1 })).toMatchObject({ email: null, emailVerified: false, name: null });
  });
});

describe('decideOidcSignIn', () => {
  const verified = identityFrom(ISSUER, { sub: 's', email: 'ada@ACME.com', email_verified: true });
  it('a linked identity signs in as its person whatever its email says now', () => {
    const linked = user({ oidcIssuer: ISSUER, oidcSubject: 's' });
    expect(decideOidcSignIn({ ...verified, email: null, emailVerified: false }, linked, null, [])).toEqual({ kind: 'signIn', user: linked });
  });
  it('links the person with the verified email; refuses when that person is linked to another identity', () => {
    const ada = user();
    expect(decideOidcSignIn(verified, null, ada, [])).toEqual({ kind: 'link', user: ada });
    const taken = decideOidcSignIn(verified, null, user({ oidcIssuer: ISSUER, oidcSubject: 'other' }), ['acme.com']);
    expect(taken.kind === 'refuse' && taken.refusal.code).toBe('OIDC_IDENTITY_CONFLICT');
  });
  it('creates a person only for a verified email in an allowed domain (case-insensitive), named by the claim or the local part', () => {
    expect(decideOidcSignIn(verified, null, null, ['acme.com'])).toEqual({ kind: 'create', email: 'ada@ACME.com', name: 'ada' });
    const foreign = decideOidcSignIn(verified, null, null, ['acme.org']);
    expect(foreign.kind === 'refuse' && foreign.refusal.code).toBe('OIDC_DOMAIN_NOT_ALLOWED');
    const nobody = decideOidcSignIn(verified, null, null, []);
    expect(nobody.kind === 'refuse' && nobody.refusal.code).toBe('OIDC_DOMAIN_NOT_ALLOWED');
    // A subdomain is another domain.
    const sub = decideOidcSignIn({ ...verified, email: 'ada@eu.acme.com' }, null, null, ['acme.com']);
    expect(sub.kind === 'refuse' && sub.refusal.code).toBe('OIDC_DOMAIN_NOT_ALLOWED');
  });
  it('an unverified or missing email neither links nor creates', () => {
    const unverified = decideOidcSignIn({ ...verified, emailVerified: false }, null, user(), ['acme.com']);
    expect(unverified.kind === 'refuse' && unverified.refusal.code).toBe('OIDC_EMAIL_UNVERIFIED');
    const missing = decideOidcSignIn({ ...verified, email: null }, null, null, ['acme.com']);
    expect(missing.kind === 'refuse' && missing.refusal.code).toBe('OIDC_EMAIL_MISSING');
  });
});

describe('the SSO cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, and __Host- prefixed and Secure over https', () => {
    expect(serializeOidcCookie({ secure: false }, 'st', 600)).toBe('pm_oidc=st; Path=/; HttpOnly; SameSite=Lax; Max-Age=600');
    expect(serializeOidcCookie({ secure: true }, 'st', 600)).toBe('__Host-pm_oidc=st; Path=/; HttpOnly; SameSite=Lax; Max-Age=600; Secure');
    expect(clearOidcCookie({ secure: false })).toMatch(/^pm_oidc=; .*Max-Age=0/);
    expect(cookieValue('a=1; pm_oidc=st; pm_session=t', oidcCookieName({ secure: false }))).toBe('st');
    expect(cookieValue('x_pm_oidc=st', 'pm_oidc')).toBeNull();
  });
});

describe('OIDC configuration', () => {
  const oidc = { OIDC_ISSUER_URL: 'https://acme.okta.com', OIDC_CLIENT_ID: 'id', OIDC_CLIENT_SECRET: 'secret' };
  it('parses the five variables: domains trimmed, lower-cased, a leading @ dropped; VIEWER by default', () => {
    expect(loadConfig({ ...oidc, OIDC_ALLOWED_DOMAINS: ' Acme.com, @acme.co.uk ' }).people.oidc).toEqual({
      issuerUrl: 'https://acme.okta.com',
      clientId: 'id',
      clientSecret: 'secret',
      defaultRole: 'VIEWER',
      allowedDomains: ['acme.com', 'acme.co.uk'],
    });
    expect(loadConfig({}).people.oidc).toBeNull();
  });
  it('refuses a partial set, plain http off this machine, a bad role and a bad domain, naming each variable', () => {
    expect(() => loadConfig({ OIDC_ISSUER_URL: 'https://acme.okta.com' })).toThrow(
      /OIDC_ISSUER_URL: set OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together/,
    );
    expect(() => loadConfig({ ...oidc, OIDC_ISSUER_URL: 'http://idp.acme.com' })).toThrow(/OIDC_ISSUER_URL: must be an https URL/);
    expect(loadConfig({ ...oidc, OIDC_ISSUER_URL: 'http://127.0.0.1:9000' }).people.oidc?.issuerUrl).toBe('http://127.0.0.1:9000');
    expect(() => loadConfig({ ...oidc, OIDC_DEFAULT_ROLE: 'OWNER' })).toThrow(/OIDC_DEFAULT_ROLE/);
    expect(() => loadConfig({ ...oidc, OIDC_ALLOWED_DOMAINS: 'acme.com, ada@acme.com' })).toThrow(/OIDC_ALLOWED_DOMAINS: "ada@acme.com" is not a domain/);
  });
});

describe('safeReturnPath', () => {
  it('keeps paths of this server and refuses other sites, control characters and empties', () => {
    expect(safeReturnPath('/ui/prompts/a?x=1#h')).toBe('/ui/prompts/a?x=1#h');
    for (const bad of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      'evil.example',
      '/ui/\nSet-Cookie:x',
      '/ui/ a',
      '',
      null,
      `/${'a'.repeat(600)}`,
    ]) {
      expect(safeReturnPath(bad)).toBeNull();
    }
  });
});
