/**
 * The SSO routes: GET /auth/oidc/start (redirect to the identity provider) and GET /auth/oidc/callback
 * (back from it: a session cookie and a redirect to the dashboard, or an HTML page saying why not, with
 * a code). GET /auth/config, which tells the sign-in page whether SSO is offered, is in auth-routes.ts.
 */
import type { DbFailureMonitor } from '../db/failures';
import type { Logger } from '../logger';
import { clearOidcCookie, cookieValue, oidcCookieName, serializeOidcCookie, serializeSessionCookie, type CookiePolicy } from '../people/cookies';
import { OIDC_REFUSAL_STATUS, OidcRefusal } from '../people/oidc-identity';
import { OIDC_LOGIN_TTL_MS, type OidcService } from '../people/oidc-service';
import { publicBaseUrl, type OriginPolicy } from '../people/origins';
import type { AuthRequest, Route } from './auth-routes';
import { httpErrorOf, UNAVAILABLE_RETRY_AFTER_S } from '../shared/http-errors';
import { HTML_PAGE_HEADERS, oidcRefusalPage } from './oidc-page';

export const OIDC_START_PATH = '/auth/oidc/start';
export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';
/** Where a person lands after signing in, unless the start named a path of ours (`?returnTo=/ui/…`). */
const AFTER_SIGN_IN = '/ui/';

/** A path on this server, never another site (`//evil.example`, `/\\evil.example`, `https://…` are refused): no open redirect. */
export function safeReturnPath(raw: string | null | undefined): string | null {
  if (!raw || raw.length > 512 || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return null;
  return /^[\x21-\x7e]+$/.test(raw) ? raw : null;
}

/** The SSO cookie holds the state and, after a dot, the return path (base64url): state is base64url, so it has no dot. */
function parseOidcCookie(value: string | null): { state: string | null; returnTo: string } {
  if (!value) return { state: null, returnTo: AFTER_SIGN_IN };
  const dot = value.indexOf('.');
  if (dot === -1) return { state: value, returnTo: AFTER_SIGN_IN };
  const returnTo = safeReturnPath(Buffer.from(value.slice(dot + 1), 'base64url').toString('utf8')) ?? AFTER_SIGN_IN;
  return { state: value.slice(0, dot), returnTo };
}

export type OidcRouteDeps = {
  oidc: OidcService | null;
  cookies: CookiePolicy;
  origins: OriginPolicy;
  logger: Logger;
  sessionMaxAgeMs: number;
  /** Logs and counts a database failure behind a refusal. */
  dbFailures?: Pick<DbFailureMonitor, 'report'>;
};

export function createOidcRoutes(deps: OidcRouteDeps): Record<string, Route> {
  const { oidc, cookies } = deps;
  const redirectUri = (r: AuthRequest) => `${publicBaseUrl(deps.origins, r.req.headers.host)}${OIDC_CALLBACK_PATH}`;

  function refuse(r: AuthRequest, err: unknown): void {
    // The database down (sessions, people): the same "try again in a moment", with the Retry-After of every route.
    deps.dbFailures?.report(err, deps.logger, { requestId: r.client.requestId, route: 'SSO' });
    const retryAfter = httpErrorOf(err)?.error.code === 'UNAVAILABLE' ? UNAVAILABLE_RETRY_AFTER_S : null;
    const refusal =
      err instanceof OidcRefusal
        ? err
        : new OidcRefusal('OIDC_UNAVAILABLE', 'Single sign-on failed on our side; try again in a moment.', null, null, retryAfter);
    if (!(err instanceof OidcRefusal) && !retryAfter)
      deps.logger.error({ requestId: r.client.requestId, err: err instanceof Error ? err.message : String(err) }, 'SSO failed');
    r.res.writeHead(OIDC_REFUSAL_STATUS[refusal.code], {
      ...HTML_PAGE_HEADERS,
      'set-cookie': clearOidcCookie(cookies),
      ...(refusal.retryAfter ? { 'retry-after': String(refusal.retryAfter) } : {}),
    });
    r.res.end(oidcRefusalPage(refusal.code, refusal.message, r.client.requestId));
  }

  return {
    [`GET ${OIDC_START_PATH}`]: async (r) => {
      if (!oidc) return refuse(r, new OidcRefusal('OIDC_NOT_CONFIGURED', 'Single sign-on is not set up on this server.'));
      try {
        const { url, state } = await oidc.start(redirectUri(r));
        const returnTo = safeReturnPath(r.url.searchParams.get('returnTo'));
        const value = returnTo ? `${state}.${Buffer.from(returnTo, 'utf8').toString('base64url')}` : state;
        r.res.writeHead(302, { location: url, 'cache-control': 'no-store', 'set-cookie': serializeOidcCookie(cookies, value, OIDC_LOGIN_TTL_MS / 1000) });
        r.res.end();
      } catch (err) {
        refuse(r, err);
      }
    },
    [`GET ${OIDC_CALLBACK_PATH}`]: async (r) => {
      if (!oidc) return refuse(r, new OidcRefusal('OIDC_NOT_CONFIGURED', 'Single sign-on is not set up on this server.'));
      try {
        // The redirect URI as registered (PUBLIC_URL or Host) with the provider's query: the token request repeats it.
        const callbackUrl = new URL(redirectUri(r) + r.url.search);
        const { state, returnTo } = parseOidcCookie(cookieValue(r.req.headers.cookie, oidcCookieName(cookies)));
        const { token } = await oidc.finish(callbackUrl, state, r.client);
        r.res.writeHead(303, {
          location: returnTo,
          'cache-control': 'no-store',
          'set-cookie': [serializeSessionCookie(cookies, token, deps.sessionMaxAgeMs / 1000), clearOidcCookie(cookies)],
        });
        r.res.end();
      } catch (err) {
        refuse(r, err);
      }
    },
  };
}
