/**
 * Single sign-on with OpenID Connect (openid-client): the authorization code flow with PKCE (S256),
 * state and nonce. A started sign-in lives in `oidc_logins` (any instance can finish it) and is bound
 * to its browser by a short cookie holding the state; the callback uses it once. The identity then
 * signs in as the person it is linked to, is linked to the person with its verified email, or
 * becomes a new person with OIDC_DEFAULT_ROLE in the default workspace when the email's domain is in
 * OIDC_ALLOWED_DOMAINS. Every sign-in and refusal is audited.
 */
import type * as OidcClient from 'openid-client';
import type { PeopleConfig } from '../config';
import type { Db } from '../db/client';
import type { UserRow } from '../db/schema';
import { writeAudit } from '../audit/audit-log';
import { ConflictError } from '../errors';
import type { Logger } from '../logger';
import type { RateLimiter } from '../ratelimit/rate-limiter';
import { auditForPerson } from './people-audit';
import { decideOidcSignIn, identityFrom, OidcRefusal, type OidcIdentity } from './oidc-identity';
import { consumeOidcLogin, insertOidcLogin, purgeOidcLogins } from './oidc-store';
import type { ClientInfo, SessionService } from './session-service';
import { hashToken, looksLikeToken } from './tokens';
import { defaultWorkspace, findUserByEmail, findUserByOidcSubject, insertUser, updateUser, upsertMembership } from './user-store';

/** A sign-in must come back from the provider within this long. */
export const OIDC_LOGIN_TTL_MS = 10 * 60_000;
const SCOPE = 'openid email profile';
const PURGE_INTERVAL_MS = 3_600_000;
const PURGE_AFTER_MS = 24 * 3_600_000;
const REQUEST_TIMEOUT_SECONDS = 10;

export type OidcConfig = NonNullable<PeopleConfig['oidc']>;
export type OidcServiceDeps = {
  db: Db;
  logger: Logger;
  config: OidcConfig;
  sessions: SessionService;
  /** The password sign-in's per-address limiter: a refused SSO callback counts as a failed sign-in from its address. */
  addressLimiter: RateLimiter;
};
export type OidcService = ReturnType<typeof createOidcService>;

type Provider = { lib: typeof OidcClient; config: OidcClient.Configuration };

export function createOidcService(deps: OidcServiceDeps) {
  const { db, config } = deps;
  const log = deps.logger.child({ module: 'oidc' });
  let provider: Promise<Provider> | null = null;

  /** Discovery once, on first use; a failure is retried by the next sign-in (the provider may come up later). */
  function discover(): Promise<Provider> {
    provider ??= (async () => {
      // openid-client is ESM only: imported dynamically from this CommonJS build.
      const lib = await import('openid-client');
      const issuer = new URL(config.issuerUrl);
      // config.ts accepts plain http only for a provider on this machine (development, tests).
      const insecure = issuer.protocol === 'http:';
      const discovered = await lib.discovery(issuer, config.clientId, undefined, lib.ClientSecretBasic(config.clientSecret), {
        execute: insecure ? [lib.allowInsecureRequests] : [],
        timeout: REQUEST_TIMEOUT_SECONDS,
      });
      log.info({ issuer: discovered.serverMetadata().issuer }, 'OIDC provider discovered');
      return { lib, config: discovered };
    })().catch((err: unknown) => {
      provider = null;
      log.warn({ err: errorText(err) }, 'OIDC discovery failed');
      throw new OidcRefusal('OIDC_UNAVAILABLE', 'The identity provider cannot be reached right now; try again in a moment.');
    });
    return provider;
  }

  let lastPurge = 0;
  /** Finished and abandoned sign-ins are forgotten a day later: at the first sign-in after a start, then hourly, off the response path. */
  function purgeNowAndThen(): void {
    if (Date.now() - lastPurge < PURGE_INTERVAL_MS) return;
    lastPurge = Date.now();
    purgeOidcLogins(db, new Date(Date.now() - PURGE_AFTER_MS)).catch((err: unknown) => log.warn({ err: errorText(err) }, 'purge of old OIDC sign-ins failed'));
  }

  /** Starts a sign-in: the provider's authorization URL and the state to bind to this browser. */
  async function start(redirectUri: string): Promise<{ url: string; state: string }> {
    const { lib, config: oidc } = await discover();
    const state = lib.randomState();
    const nonce = lib.randomNonce();
    const codeVerifier = lib.randomPKCECodeVerifier();
    const url = lib.buildAuthorizationUrl(oidc, {
      redirect_uri: redirectUri,
      scope: SCOPE,
      code_challenge: await lib.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    await insertOidcLogin(db, hashToken(state), { nonce, codeVerifier });
    purgeNowAndThen();
    return { url: url.href, state };
  }

  /**
   * Finishes a sign-in at the callback. `callbackUrl` is the redirect URI with the query the provider
   * sent; `browserState` the state cookie. Returns a new session, or throws an OidcRefusal (audited).
   */
  async function finish(callbackUrl: URL, browserState: string | null, client: ClientInfo): Promise<{ token: string; user: UserRow }> {
    try {
      const locked = deps.addressLimiter.check(client.ip);
      if (locked) throw new OidcRefusal('OIDC_RATE_LIMITED', 'Too many attempts; try again later.', null, null, locked);
      const identity = await verify(callbackUrl, browserState);
      const user = await personFor(identity, client);
      const { token } = await deps.sessions.signInAs(user, 'oidc', client);
      return { token, user };
    } catch (err) {
      const refusal = err instanceof OidcRefusal ? err : null;
      if (!refusal) throw err;
      if (refusal.code !== 'OIDC_RATE_LIMITED' && refusal.code !== 'OIDC_UNAVAILABLE') deps.addressLimiter.hit(client.ip);
      await auditForPerson(db, refusal.userId, {
        action: 'signIn.refused',
        actor: { id: null, name: refusal.email ?? 'unknown' },
        target: refusal.email,
        after: { method: 'oidc', code: refusal.code, reason: refusal.message, ip: client.ip },
        requestId: client.requestId,
      });
      throw refusal;
    }
  }

  async function verify(callbackUrl: URL, browserState: string | null): Promise<OidcIdentity> {
    const state = callbackUrl.searchParams.get('state');
    if (!looksLikeToken(state) || !browserState || hashToken(state) !== hashToken(browserState)) {
      throw new OidcRefusal('OIDC_STATE_INVALID', 'This sign-in was not started in this browser, or it has expired. Start again.');
    }
    const login = await consumeOidcLogin(db, hashToken(state), OIDC_LOGIN_TTL_MS);
    if (!login) throw new OidcRefusal('OIDC_STATE_INVALID', 'This sign-in was already used or has expired. Start again.');
    const providerError = callbackUrl.searchParams.get('error');
    if (providerError) {
      const description = callbackUrl.searchParams.get('error_description');
      throw new OidcRefusal(
        'OIDC_PROVIDER_ERROR',
        `The identity provider did not sign you in (${providerError}${description ? `: ${description.slice(0, 200)}` : ''}).`,
      );
    }
    const { lib, config: oidc } = await discover();
    let claims: Record<string, unknown>;
    try {
      const tokens = await lib.authorizationCodeGrant(oidc, callbackUrl, {
        pkceCodeVerifier: login.codeVerifier,
        expectedState: state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims()!;
      claims = { ...idClaims };
      // Providers that conform the ID token to the scope keep email in userinfo.
      if (typeof idClaims.email !== 'string') claims = { ...(await lib.fetchUserInfo(oidc, tokens.access_token, idClaims.sub)), ...idClaims };
    } catch (err) {
      log.warn({ err: errorText(err) }, 'OIDC code exchange failed');
      throw new OidcRefusal('OIDC_EXCHANGE_FAILED', 'The identity provider did not confirm this sign-in (the link may have been used already). Start again.');
    }
    return identityFrom(oidc.serverMetadata().issuer, claims);
  }

  /** The person this identity signs in as; links or creates them. Retried once if a concurrent first sign-in won the race. */
  async function personFor(identity: OidcIdentity, client: ClientInfo, retry = true): Promise<UserRow> {
    try {
      return await db.transaction(async (tx) => {
        const bySubject = await findUserByOidcSubject(tx, identity.issuer, identity.subject);
        const byEmail = bySubject || !identity.email ? null : await findUserByEmail(tx, identity.email);
        const decision = decideOidcSignIn(identity, bySubject, byEmail, config.allowedDomains);
        if (decision.kind === 'refuse') throw decision.refusal;
        if (decision.kind === 'signIn') return decision.user;
        const link = { oidcIssuer: identity.issuer, oidcSubject: identity.subject };
        if (decision.kind === 'link') {
          const user = await updateUser(tx, decision.user.id, link);
          await auditForPerson(tx, user.id, {
            action: 'user.linkSso',
            actor: { id: user.id, name: user.name, email: user.email },
            target: user.email,
            after: { issuer: identity.issuer, subject: identity.subject },
            requestId: client.requestId,
          });
          return user;
        }
        const ws = await defaultWorkspace(tx);
        const user = await insertUser(tx, { email: decision.email, name: decision.name, passwordHash: null, ...link });
        await upsertMembership(tx, ws.id, user.id, config.defaultRole);
        await writeAudit(tx, {
          workspaceId: ws.id,
          action: 'user.create',
          actor: { id: user.id, name: user.name, email: user.email },
          targetType: 'user',
          targetId: user.id,
          target: user.email,
          after: { email: user.email, name: user.name, role: config.defaultRole, via: 'oidc', issuer: identity.issuer },
          requestId: client.requestId,
        });
        log.info({ userId: user.id, role: config.defaultRole }, 'created a person at their first SSO sign-in');
        return user;
      });
    } catch (err) {
      if (retry && err instanceof ConflictError) return personFor(identity, client, false);
      throw err;
    }
  }

  return { start, finish };
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const extra = err as Error & { code?: string; error?: string; error_description?: string };
  return [err.name, extra.code, extra.error, extra.error_description, err.message].filter(Boolean).join(': ');
}
