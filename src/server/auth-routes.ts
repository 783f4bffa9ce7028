/**
 * The people routes under /auth/: JSON in, JSON out (`{ error: { code, message } }` on failure),
 * sessions as cookies. A POST whose Origin is foreign is refused (403 FORBIDDEN) before anything
 * runs: signing someone in or out from another site is a CSRF too.
 */
import type http from 'node:http';
import type { DbFailureMonitor } from '../db/failures';
import { UnauthenticatedError } from '../errors';
import type { Logger } from '../logger';
import { clearSessionCookie, serializeSessionCookie, sessionTokenFrom, type CookiePolicy } from '../people/cookies';
import { isAllowedOrigin, requestOrigin, type OriginPolicy } from '../people/origins';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../people/passwords';
import type { ClientInfo } from '../people/session-service';
import type { People } from '../people/people';
import { BodyTooLarge, readBody, send } from './http';
import { httpErrorOf } from '../shared/http-errors';
import { OIDC_START_PATH } from './oidc-routes';
import { sendSetupPage } from './setup-page';

const MAX_AUTH_BODY_BYTES = 16 * 1024;

export type AuthRouteDeps = {
  people: People;
  cookies: CookiePolicy;
  origins: OriginPolicy;
  logger: Logger;
  sessionMaxAgeMs: number;
  /** Logs and counts a database failure behind a refusal (an outage answers 503, but an operator sees it). */
  dbFailures?: Pick<DbFailureMonitor, 'report'>;
};

export type AuthRequest = {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  body: Record<string, unknown>;
  client: ClientInfo;
  sessionToken: string | null;
  /** Sets the session cookie for a new session. */
  startSession(token: string): void;
};

export type Route = (r: AuthRequest) => Promise<void>;

export function sendError(res: http.ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  send(res, status, { error: { code, message, ...extra } });
}

const userJson = (u: { id: string; email: string; name: string }) => ({ id: u.id, email: u.email, name: u.name });

/** A cookie whose session ended counts as no cookie. */
function ignoreEndedSession(err: unknown): null {
  if (err instanceof UnauthenticatedError) return null;
  throw err;
}

export function createAuthRoutes(deps: AuthRouteDeps, extra: Record<string, Route> = {}) {
  const { people } = deps;
  const routes: Record<string, Route> = {
    // What the sign-in and account pages may offer (no authentication needed): SSO, the password rules, self-service reset.
    'GET /auth/config': async (r) => {
      send(
        r.res,
        200,
        {
          password: true,
          sso: people.oidc ? { protocol: 'oidc', startUrl: OIDC_START_PATH } : null,
          // What the account pages show before anyone types: the password rules and whether "forgot your password?" mails a link.
          passwordRules: { minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, notCommon: true, notEmail: true },
          selfServicePasswordReset: people.passwordResets.selfServiceEnabled,
        },
        { 'cache-control': 'no-store' },
      );
    },
    'POST /auth/sign-in': async (r) => {
      const { token, user } = await people.sessions.signIn(r.body.email, r.body.password, r.client);
      r.startSession(token);
      send(r.res, 200, { user: { id: user.id, email: user.email, name: user.name } });
    },
    'POST /auth/sign-out': async (r) => {
      await people.sessions.signOut(r.sessionToken, r.client);
      r.res.setHeader('set-cookie', clearSessionCookie(deps.cookies));
      send(r.res, 200, { ok: true });
    },
    // What an invitation link is for (POST: the token stays out of URLs and logs), before accepting it.
    'POST /auth/invitation': async (r) => {
      const i = await people.invitations.describeInvitation(r.body.token);
      send(r.res, 200, { status: i.status, email: i.email, role: i.role, workspace: { name: i.workspaceName }, expiresAt: i.expiresAt.toISOString() });
    },
    // An invitation link: a signed-in person joins (the invitation must be for their email); anybody else creates their account.
    'POST /auth/accept-invitation': async (r) => {
      const person = r.sessionToken ? await people.sessions.personOfToken(r.sessionToken).catch(ignoreEndedSession) : null;
      if (person) {
        const membership = await people.invitations.acceptAsPerson(person, r.body.token, r.client.requestId);
        return send(r.res, 200, { user: userJson(person), workspace: { id: membership.workspaceId }, role: membership.role, newAccount: false });
      }
      const { user, membership, token } = await people.invitations.acceptWithNewAccount(r.body.token, r.body.name, r.body.password, r.client);
      r.startSession(token);
      send(r.res, 200, { user: userJson(user), workspace: { id: membership.workspaceId }, role: membership.role, newAccount: true });
    },
    'POST /auth/reset-password': async (r) => {
      const user = await people.passwordResets.resetPassword(r.body.token, r.body.password, r.client);
      send(r.res, 200, { user: userJson(user) });
    },
    // "Forgot your password?": the same 202 whether or not the email has an account (the link goes by mail only).
    'POST /auth/request-password-reset': async (r) => {
      await people.passwordResets.requestPasswordReset(r.body.email, r.client);
      send(r.res, 202, { ok: true });
    },
    'GET /setup': async (r) => sendSetupPage(r.res),
    // The first-start set-up link (`/setup#token=…`): the first person creates their account and is signed in.
    'POST /auth/setup': async (r) => {
      const { user, token } = await people.invitations.completeSetup(r.body.token, r.body.email, r.body.name, r.body.password, r.client);
      r.startSession(token);
      send(r.res, 200, { user: userJson(user) });
    },
    ...extra,
  };

  return async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL, requestId: string): Promise<boolean> {
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) {
      const known = Object.keys(routes).some((k) => k.endsWith(` ${url.pathname}`));
      if (!known) return false;
      sendError(res, 405, 'METHOD_NOT_ALLOWED', 'This method is not allowed here.');
      return true;
    }
    if (req.method === 'POST') {
      const origin = req.headers.origin || req.headers.referer ? requestOrigin(req.headers) : null;
      if ((req.headers.origin || req.headers.referer) && !isAllowedOrigin(deps.origins, origin, req.headers.host)) {
        sendError(res, 403, 'FORBIDDEN', 'Requests from this origin are not allowed.');
        return true;
      }
    }
    let body: Record<string, unknown> = {};
    if (req.method === 'POST') {
      let raw: string;
      try {
        raw = await readBody(req, MAX_AUTH_BODY_BYTES);
      } catch (err) {
        if (err instanceof BodyTooLarge) {
          sendError(res, 413, 'BAD_REQUEST', `Request body larger than ${MAX_AUTH_BODY_BYTES} bytes.`);
          return true;
        }
        throw err;
      }
      if (raw.trim()) {
        if (!/json/i.test(req.headers['content-type'] ?? '')) {
          sendError(res, 415, 'BAD_REQUEST', 'Send a JSON body (content-type: application/json).');
          return true;
        }
        try {
          const parsed: unknown = JSON.parse(raw);
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
          body = parsed as Record<string, unknown>;
        } catch {
          sendError(res, 400, 'BAD_REQUEST', 'The request body is not a JSON object.');
          return true;
        }
      }
    }
    const client: ClientInfo = {
      ip: req.socket.remoteAddress ?? 'unknown',
      userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
      requestId,
    };
    const r: AuthRequest = {
      req,
      res,
      url,
      body,
      client,
      sessionToken: sessionTokenFrom(req.headers.cookie, deps.cookies),
      startSession: (token) => res.setHeader('set-cookie', serializeSessionCookie(deps.cookies, token, deps.sessionMaxAgeMs / 1000)),
    };
    try {
      await route(r);
    } catch (err) {
      deps.dbFailures?.report(err, deps.logger, { requestId, route: `${req.method} ${url.pathname}` });
      const known = httpErrorOf(err);
      if (known) {
        const { error, status, headers } = known;
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        // A locked account or address says only "try again later" (no hint whether the account exists).
        const message = error.code === 'RATE_LIMITED' ? 'Too many attempts; try again later.' : error.message;
        sendError(res, status, error.code, message, error.details.field ? { field: error.details.field } : {});
      } else {
        deps.logger.error({ requestId, err: err instanceof Error ? err.message : String(err) }, 'auth route failed');
        sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal error', { requestId });
      }
    }
    return true;
  };
}
