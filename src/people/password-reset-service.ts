/**
 * Password reset by a link an ADMIN creates for a member (no e-mail server is assumed; with SMTP_URL
 * the link is e-mailed too). Single use, expiring; using it sets the password and ends every session.
 * An ADMIN of one workspace must not take over an account that reaches further than their own rights:
 * the member must belong to no workspace where the caller is not an ADMIN, and an instance admin's
 * link is made only by an instance admin.
 */
import type { Db, Tx } from '../db/client';
import type { UserRow } from '../db/schema';
import { ForbiddenError, NotFoundError, RateLimitedError, UnavailableError } from '../errors';
import { writeAudit } from '../audit/audit-log';
import { assertCan } from '../auth/permissions';
import { actorOf } from '../auth/principal';
import type { RequestScope } from '../shared/request-scope';
import { isUuid } from '../shared/validate';
import { insertPasswordReset, lockPasswordResetByToken, markPasswordResetUsed, voidPasswordResetsOf } from './invitation-store';
import type { Logger } from '../logger';
import type { Mailer } from './mailer';
import type { RateLimiter } from '../ratelimit/rate-limiter';
import { assertEmail } from './invitation-service';
import { assertAcceptablePassword, hashPassword } from './passwords';
import { auditForPerson } from './people-audit';
import { revokeSessionsOfUser } from './session-store';
import type { ClientInfo, SessionService } from './session-service';
import { hashToken, looksLikeToken, newToken } from './tokens';
import { findMembership, findUserByEmail, findUserById, membershipsOfUser, updateUser } from './user-store';

export type PasswordResetDeps = {
  db: Db;
  sessions: SessionService;
  mailer: Mailer | null;
  ttlMs: number;
  /** PUBLIC_URL: a self-service link is built from it only, never from a request's Host (which a stranger chooses). */
  publicUrl: string | null;
  /** Self-service requests per email (no mail-bombing a person through the form) and per address. */
  requestLimiter: { email: RateLimiter; address: RateLimiter };
  logger: Logger;
};

const INVALID_LINK = 'This link is not valid: it was used or replaced, or it has expired.';

export function resetUrlOf(baseUrl: string, token: string): string {
  return `${baseUrl}/ui/reset-password#token=${token}`;
}

export function createPasswordResetService(deps: PasswordResetDeps) {
  const { db } = deps;

  async function assertMayReset(scope: RequestScope, user: UserRow): Promise<void> {
    const caller = scope.principal;
    if (caller.isInstanceAdmin) return;
    if (user.isInstanceAdmin) throw new ForbiddenError('Only an instance admin may reset the password of an instance admin.');
    const theirs = await membershipsOfUser(db, user.id);
    const mine = caller.user ? await membershipsOfUser(db, caller.user.id) : [];
    const adminOf = new Set([caller.workspaceId, ...mine.filter((m) => m.role === 'ADMIN').map((m) => m.workspaceId)]);
    if (theirs.some((m) => !adminOf.has(m.workspaceId)))
      throw new ForbiddenError('This person belongs to a workspace where you are not an ADMIN: an ADMIN of every one of their workspaces may reset it.');
  }

  /** The person's one valid reset link from now on: earlier unused ones stop working. `createdById` null: they asked themselves. */
  async function replaceResetLinks(tx: Tx, userId: string, token: string, createdById: string | null) {
    await voidPasswordResetsOf(tx, userId);
    return insertPasswordReset(tx, { userId, tokenHash: hashToken(token), createdById, expiresAt: new Date(Date.now() + deps.ttlMs) });
  }

  /** The reset link (shown once; earlier unused links of the person stop working). */
  async function createPasswordResetLink(scope: RequestScope, baseUrl: string, userId: string): Promise<{ url: string; emailed: boolean }> {
    assertCan(scope.principal, 'member:manage');
    const member = isUuid(userId) ? await findMembership(db, scope.principal.workspaceId, userId) : null;
    const user = member ? await findUserById(db, userId) : null;
    if (!user) throw new NotFoundError('No member of this workspace has this user id.', { field: 'userId' });
    await assertMayReset(scope, user);
    const token = newToken();
    const row = await db.transaction(async (tx) => {
      const created = await replaceResetLinks(tx, user.id, token, actorOf(scope.principal).id);
      await writeAudit(tx, {
        workspaceId: scope.principal.workspaceId,
        action: 'passwordReset.create',
        actor: actorOf(scope.principal),
        targetType: 'user',
        targetId: user.id,
        target: user.email,
        after: { expiresAt: created.expiresAt.toISOString() },
        requestId: scope.requestId,
      });
      return created;
    });
    const url = resetUrlOf(baseUrl, token);
    const emailed = deps.mailer
      ? await deps.mailer.send({
          to: user.email,
          subject: 'Reset your password',
          text: `An ADMIN made a link for you to set a new password for the prompt service.\n\nIt works once, until ${row.expiresAt.toISOString()}:\n${url}\n`,
        })
      : false;
    return { url, emailed };
  }

  /** True when people may ask for their own reset link by e-mail (needs SMTP_URL and PUBLIC_URL). */
  const selfServiceEnabled = Boolean(deps.mailer && deps.publicUrl);

  /**
   * POST /auth/request-password-reset: e-mails a reset link to the person with this email, if there is
   * one. The answer is the same either way and the mail goes out after answering (no hint from the
   * timing); too many requests from one address or for one email are RATE_LIMITED.
   */
  async function requestPasswordReset(rawEmail: unknown, client: ClientInfo): Promise<void> {
    if (!selfServiceEnabled)
      throw new UnavailableError('Resetting your own password by e-mail is not set up on this server: ask an ADMIN of your workspace for a reset link.');
    const email = assertEmail(rawEmail, 'email');
    const wait = deps.requestLimiter.address.hit(client.ip) ?? deps.requestLimiter.email.hit(email);
    if (wait) throw new RateLimitedError(wait);
    const user = await findUserByEmail(db, email);
    if (!user) return;
    void sendSelfServiceLink(user, client).catch((err: unknown) =>
      deps.logger.error({ err: err instanceof Error ? err.message : String(err), requestId: client.requestId }, 'password reset request failed'),
    );
  }

  async function sendSelfServiceLink(user: UserRow, client: ClientInfo): Promise<void> {
    const token = newToken();
    const row = await db.transaction(async (tx) => {
      const created = await replaceResetLinks(tx, user.id, token, null);
      await auditForPerson(tx, user.id, {
        action: 'passwordReset.request',
        actor: { id: null, name: user.email },
        target: user.email,
        after: { expiresAt: created.expiresAt.toISOString(), ip: client.ip },
        requestId: client.requestId,
      });
      return created;
    });
    const url = resetUrlOf(deps.publicUrl!.replace(/\/+$/, ''), token);
    await deps.mailer!.send({
      to: user.email,
      subject: 'Reset your password',
      text: `Someone (hopefully you) asked to reset your password for the prompt service.\n\nThis link works once, until ${row.expiresAt.toISOString()}:\n${url}\n\nIf it was not you, ignore this mail: your password stays as it is.\n`,
    });
  }

  /** POST /auth/reset-password: sets the password and ends every session of the person (a thief's cookie too). */
  async function resetPassword(token: unknown, password: unknown, client: ClientInfo): Promise<UserRow> {
    const find = async (tx: Tx) => {
      const row = looksLikeToken(token) ? await lockPasswordResetByToken(tx, hashToken(token)) : null;
      if (!row || row.usedAt || row.expiresAt.getTime() <= Date.now()) throw new NotFoundError(INVALID_LINK, { field: 'token' });
      const user = await findUserById(tx, row.userId);
      if (!user) throw new NotFoundError(INVALID_LINK, { field: 'token' });
      return { row, user };
    };
    const { user: target } = await db.transaction(find);
    assertAcceptablePassword(password as string, 'password', target);
    const passwordHash = await hashPassword(password as string);
    const { user, ended } = await db.transaction(async (tx) => {
      const { row, user } = await find(tx);
      await markPasswordResetUsed(tx, row.id);
      await voidPasswordResetsOf(tx, user.id);
      const updated = await updateUser(tx, user.id, { passwordHash });
      const revoked = await revokeSessionsOfUser(tx, user.id);
      await auditForPerson(tx, user.id, {
        action: 'user.resetPassword',
        actor: { id: user.id, name: user.name, email: user.email },
        target: user.email,
        after: { endedSessions: revoked.length, ip: client.ip },
        requestId: client.requestId,
      });
      return { user: updated, ended: revoked };
    });
    deps.sessions.announceRevoked(
      user.id,
      ended.map((s) => s.id),
    );
    return user;
  }

  return { createPasswordResetLink, resetPassword, requestPasswordReset, selfServiceEnabled };
}
