/**
 * Sign-in, sessions and the principal of a cookie: password sign-in with per-account and
 * per-address limits (the same answer, in the same time, for an unknown email and a wrong password),
 * opaque session tokens stored hashed, idle and absolute expiry, listing and revoking sessions,
 * password changes (which end every other session). A short per-instance cache keeps the cookie path
 * off the database; revocations and membership changes evict it on every instance through the bus.
 */
import type { Db } from '../db/client';
import type { SessionRow, UserRow, MembershipRow, WorkspaceRow } from '../db/schema';
import { ForbiddenError, NotFoundError, RateLimitedError, UnauthenticatedError } from '../errors';
import type { Logger } from '../logger';
import type { EventBus } from '../pubsub/event-bus';
import type { RateLimiter } from '../ratelimit/rate-limiter';
import type { Principal } from '../auth/principal';
import type { RequestScope } from '../shared/request-scope';
import { isUuid } from '../shared/validate';
import { assertAcceptablePassword, hashPassword, verifyPassword } from './passwords';
import { auditForPerson } from './people-audit';
import { findLiveSession, findSessionOfUser, insertSession, liveSessionsOfUser, revokeSessionById, revokeSessionsOfUser, touchSession } from './session-store';
import { hashToken, looksLikeToken, newToken } from './tokens';
import { findUserByEmail, findUserById, membershipsOfUser, updateUser } from './user-store';

const CACHE_TTL_MS = 5_000;
const TOUCH_THROTTLE_MS = 60_000;

export type SessionServiceDeps = {
  db: Db;
  logger: Logger;
  bus: EventBus;
  idleMs: number;
  maxAgeMs: number;
  accountLimiter: RateLimiter;
  addressLimiter: RateLimiter;
};

export type ClientInfo = { ip: string; userAgent: string | null; requestId: string };
type Membership = MembershipRow & { workspace: WorkspaceRow };
type CachedSession = { session: SessionRow; user: UserRow; memberships: Membership[]; at: number };

export type SessionService = ReturnType<typeof createSessionService>;

export function createSessionService(deps: SessionServiceDeps) {
  const { db } = deps;
  const cache = new Map<string, CachedSession>();

  async function startSession(user: UserRow, client: ClientInfo): Promise<{ token: string; session: SessionRow }> {
    // A new token at every sign-in (no fixation): the old cookie's session, if any, stays as it was.
    const token = newToken();
    const session = await insertSession(db, {
      tokenHash: hashToken(token),
      userId: user.id,
      expiresAt: new Date(Date.now() + deps.maxAgeMs),
      userAgent: client.userAgent?.slice(0, 300) ?? null,
      ip: client.ip,
    });
    return { token, session };
  }

  /** Email + password → a new session. Failures are all UNAUTHENTICATED with one message; a locked account or address is RATE_LIMITED. */
  async function signIn(rawEmail: unknown, password: unknown, client: ClientInfo): Promise<{ token: string; session: SessionRow; user: UserRow }> {
    const email = typeof rawEmail === 'string' ? rawEmail.trim().toLowerCase().slice(0, 320) : '';
    const secret = typeof password === 'string' ? password.slice(0, 1024) : '';
    const locked = deps.addressLimiter.check(client.ip) ?? (email ? deps.accountLimiter.check(email) : null);
    if (locked) {
      await auditForPerson(db, (email && (await findUserByEmail(db, email))?.id) || null, {
        action: 'signIn.locked',
        actor: { id: null, name: email || 'unknown' },
        target: email,
        requestId: client.requestId,
      });
      throw new RateLimitedError(locked);
    }
    const user = email ? await findUserByEmail(db, email) : null;
    // verifyPassword against a decoy hash when there is no such person: the same work either way.
    const valid = await verifyPassword(secret, user?.passwordHash ?? null);
    if (!user || !valid) {
      deps.addressLimiter.hit(client.ip);
      if (email) deps.accountLimiter.hit(email);
      await auditForPerson(db, user?.id ?? null, {
        action: 'signIn.failed',
        actor: { id: null, name: email || 'unknown' },
        target: email,
        after: { ip: client.ip, reason: user ? 'wrong password' : 'unknown email' },
        requestId: client.requestId,
      });
      throw new UnauthenticatedError('Wrong email or password.');
    }
    const started = await startSession(user, client);
    await auditForPerson(db, user.id, {
      action: 'signIn',
      actor: { id: user.id, name: user.name, email: user.email },
      target: user.email,
      after: { sessionId: started.session.id, ip: client.ip, method: 'password' },
      requestId: client.requestId,
    });
    return { ...started, user };
  }

  /** A session for a person who proved who they are another way (an invitation, a reset link, SSO). */
  async function signInAs(user: UserRow, method: string, client: ClientInfo) {
    const started = await startSession(user, client);
    await auditForPerson(db, user.id, {
      action: 'signIn',
      actor: { id: user.id, name: user.name, email: user.email },
      target: user.email,
      after: { sessionId: started.session.id, ip: client.ip, method },
      requestId: client.requestId,
    });
    return started;
  }

  async function load(token: string): Promise<CachedSession | null> {
    const tokenHash = hashToken(token);
    const hit = cache.get(tokenHash);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit;
    const found = await findLiveSession(db, tokenHash);
    if (!found) {
      cache.delete(tokenHash);
      return null;
    }
    const entry = { ...found, memberships: await membershipsOfUser(db, found.user.id), at: Date.now() };
    cache.set(tokenHash, entry);
    return entry;
  }

  /** Cookie token → live session and person, or UNAUTHENTICATED (unknown, revoked, idle or past its end). */
  async function resolveSession(token: string | null): Promise<CachedSession> {
    if (!looksLikeToken(token)) throw new UnauthenticatedError('Your session has ended; sign in again.');
    const entry = await load(token);
    if (!entry || entry.session.expiresAt.getTime() <= Date.now()) throw new UnauthenticatedError('Your session has ended; sign in again.');
    const now = Date.now();
    if (now - entry.session.lastSeenAt.getTime() > deps.idleMs) {
      await revokeSessionById(db, entry.session.id);
      cache.delete(entry.session.tokenHash);
      throw new UnauthenticatedError('Your session has ended; sign in again.');
    }
    if (now - entry.session.lastSeenAt.getTime() > Math.min(TOUCH_THROTTLE_MS, deps.idleMs / 4)) {
      entry.session.lastSeenAt = new Date(now);
      touchSession(db, entry.session.id, entry.session.lastSeenAt).catch((err: unknown) =>
        deps.logger.warn({ err: String(err) }, 'could not record lastSeenAt'),
      );
    }
    return entry;
  }

  /** The principal of a session cookie in the chosen workspace (default: the person's first). */
  async function authenticate(token: string | null, workspaceId?: string | null): Promise<Principal> {
    const { session, user, memberships } = await resolveSession(token);
    const membership = workspaceId ? memberships.find((m) => m.workspaceId === workspaceId) : memberships[0];
    if (!membership) {
      throw new ForbiddenError(
        workspaceId ? 'You are not a member of this workspace.' : 'You are not a member of any workspace; ask an ADMIN for an invitation.',
      );
    }
    return {
      id: user.id,
      name: user.name,
      workspaceId: membership.workspaceId,
      role: membership.role,
      scopes: [],
      isInstanceAdmin: user.isInstanceAdmin,
      user: { id: user.id, email: user.email, name: user.name },
      sessionId: session.id,
    };
  }

  /** The signed-in person of a cookie, whatever their memberships (accepting an invitation needs none yet). */
  async function personOfToken(token: string | null): Promise<UserRow> {
    return (await resolveSession(token)).user;
  }

  async function signOut(token: string | null, client: ClientInfo): Promise<void> {
    if (!looksLikeToken(token)) return;
    const found = await findLiveSession(db, hashToken(token));
    if (!found) return;
    await db.transaction(async (tx) => {
      await revokeSessionById(tx, found.session.id);
      await auditForPerson(tx, found.user.id, {
        action: 'signOut',
        actor: { id: found.user.id, name: found.user.name, email: found.user.email },
        target: found.user.email,
        after: { sessionId: found.session.id },
        requestId: client.requestId,
      });
    });
    announceRevoked(found.user.id, [found.session.id]);
  }

  function personOf(scope: RequestScope): NonNullable<Principal['user']> {
    if (!scope.principal.user) throw new ForbiddenError('Only a signed-in person has sessions and a password.');
    return scope.principal.user;
  }

  async function listSessions(scope: RequestScope): Promise<SessionRow[]> {
    return liveSessionsOfUser(db, personOf(scope).id);
  }

  async function revokeSession(scope: RequestScope, id: string): Promise<SessionRow> {
    const user = personOf(scope);
    const session = isUuid(id) ? await findSessionOfUser(db, user.id, id) : null;
    if (!session) throw new NotFoundError('No session of yours with this id.');
    if (session.revokedAt) return session;
    const revoked = await db.transaction(async (tx) => {
      const row = (await revokeSessionById(tx, id)) ?? session;
      await auditForPerson(tx, user.id, {
        action: 'session.revoke',
        actor: { id: user.id, name: user.name, email: user.email },
        target: user.email,
        after: { sessionId: id },
        requestId: scope.requestId,
      });
      return row;
    });
    announceRevoked(user.id, [id]);
    return revoked;
  }

  /** Ends every other session of the person: a stolen cookie stops working with the old password. */
  async function changePassword(scope: RequestScope, currentPassword: string, newPassword: string): Promise<boolean> {
    const person = personOf(scope);
    const user = await findUserById(db, person.id);
    if (!user || !(await verifyPassword(currentPassword, user.passwordHash ?? null))) throw new ForbiddenError('The current password is wrong.');
    assertAcceptablePassword(newPassword, 'newPassword', user);
    const passwordHash = await hashPassword(newPassword);
    const ended = await db.transaction(async (tx) => {
      await updateUser(tx, user.id, { passwordHash });
      const revoked = await revokeSessionsOfUser(tx, user.id, scope.principal.sessionId ?? null);
      await auditForPerson(tx, user.id, {
        action: 'user.changePassword',
        actor: { id: user.id, name: user.name, email: user.email },
        target: user.email,
        after: { endedSessions: revoked.length },
        requestId: scope.requestId,
      });
      return revoked;
    });
    announceRevoked(
      user.id,
      ended.map((s) => s.id),
    );
    return true;
  }

  /** Drops cached sessions of a person here and tells the other instances (their sockets close). */
  function announceRevoked(userId: string, sessionIds: string[] | null): void {
    evictUser(userId);
    void deps.bus.publish('SESSIONS_REVOKED', { userId, sessionIds });
  }

  function evictUser(userId: string): void {
    for (const [hash, entry] of cache) if (entry.user.id === userId) cache.delete(hash);
  }

  return {
    signIn,
    signInAs,
    authenticate,
    personOfToken,
    signOut,
    listSessions,
    revokeSession,
    changePassword,
    announceRevoked,
    evictUser,
    clearCache: () => cache.clear(),
  };
}
