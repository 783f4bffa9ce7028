/**
 * Invitations: an ADMIN invites an email with a role and gets a link (its token shown once, stored
 * hashed, expiring, single use); the link lets the person create their account, or join when signed
 * in already. ADMINs list, resend (a new token: the old link stops working) and revoke invitations.
 * Also the first-start set-up link (kind SETUP): while nobody has an account, it lets the first
 * person create theirs as an instance admin and ADMIN of the default workspace.
 */
import type { Db, Tx } from '../db/client';
import { ADVISORY_LOCKS, allowStartupTime, lockForTransaction } from '../db/locks';
import type { InvitationRow, MembershipRow, UserRow } from '../db/schema';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { Logger } from '../logger';
import { writeAudit } from '../audit/audit-log';
import { findWorkspace } from '../auth/workspace-store';
import { assertCan, type Role } from '../auth/permissions';
import { actorOf, type Actor, type PrincipalUser } from '../auth/principal';
import type { RequestScope } from '../shared/request-scope';
import { assertText, isUuid } from '../shared/validate';
import {
  findInvitation,
  findInvitationByToken,
  insertInvitation,
  invitationsOfWorkspace,
  lockInvitationByToken,
  revokePendingInvitationsOf,
  updateInvitation,
} from './invitation-store';
import type { Mailer } from './mailer';
import type { MemberService } from './member-service';
import { assertAcceptablePassword, hashPassword } from './passwords';
import type { ClientInfo, SessionService } from './session-service';
import { hashToken, looksLikeToken, newToken } from './tokens';
import { countUsers, defaultWorkspace, findMembership, findUserByEmail, insertUser, upsertMembership } from './user-store';

export const SETUP_LINK_TTL_MS = 24 * 3_600_000;
/** The same lock as ensureFirstPerson: the first person is created once, whichever way. */
const FIRST_PERSON_LOCK = ADVISORY_LOCKS.firstPerson;

export type InvitationStatus = 'PENDING' | 'ACCEPTED' | 'REVOKED' | 'EXPIRED';

export function invitationStatus(row: InvitationRow, now = Date.now()): InvitationStatus {
  if (row.acceptedAt) return 'ACCEPTED';
  if (row.revokedAt) return 'REVOKED';
  return row.expiresAt.getTime() <= now ? 'EXPIRED' : 'PENDING';
}

export type CreatedInvitation = { invitation: InvitationRow; acceptUrl: string; emailed: boolean };

export type InvitationServiceDeps = {
  db: Db;
  logger: Logger;
  sessions: SessionService;
  members: MemberService;
  mailer: Mailer | null;
  ttlMs: number;
};

export type InvitationService = ReturnType<typeof createInvitationService>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INVALID_LINK = 'This link is not valid: it was used or revoked, or it has expired.';

export function assertEmail(raw: unknown, field: string): string {
  const email = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (!email || email.length > 320 || !EMAIL.test(email)) throw new BadInputError(field, 'Give a valid email address.');
  return email;
}

export function assertPersonName(raw: unknown, field: string): string {
  const name = assertText(typeof raw === 'string' ? raw.trim() : '', field, 100);
  if (!name) throw new BadInputError(field, 'Give your name (shown in history and audit).');
  return name;
}

export function acceptUrlOf(baseUrl: string, token: string): string {
  return `${baseUrl}/ui/accept-invitation#token=${token}`;
}

export function createInvitationService(deps: InvitationServiceDeps) {
  const { db } = deps;

  async function send(baseUrl: string, invitation: InvitationRow, token: string, workspaceName: string): Promise<{ acceptUrl: string; emailed: boolean }> {
    const acceptUrl = acceptUrlOf(baseUrl, token);
    if (!deps.mailer || !invitation.email) return { acceptUrl, emailed: false };
    const emailed = await deps.mailer.send({
      to: invitation.email,
      subject: `You are invited to the workspace ${workspaceName}`,
      text:
        `${invitation.createdByName} invites you to the workspace "${workspaceName}" of the prompt service as ${invitation.role}.\n\n` +
        `Open this link to accept (it works once, until ${invitation.expiresAt.toISOString()}):\n${acceptUrl}\n`,
    });
    if (emailed) await updateInvitation(db, invitation.id, { lastSentAt: new Date() });
    return { acceptUrl, emailed };
  }

  async function inviteMember(scope: RequestScope, baseUrl: string, rawEmail: string, role: Role, workspaceName: string): Promise<CreatedInvitation> {
    assertCan(scope.principal, 'member:manage');
    const email = assertEmail(rawEmail, 'email');
    const workspaceId = scope.principal.workspaceId;
    const token = newToken();
    const actor = actorOf(scope.principal);
    const invitation = await db.transaction(async (tx) => {
      const existing = await findUserByEmail(tx, email);
      if (existing && (await findMembership(tx, workspaceId, existing.id)))
        throw new ConflictError('This person is a member of the workspace already; change their role instead.', { field: 'email' });
      // One live invitation per email: a new one replaces the earlier links.
      await revokePendingInvitationsOf(tx, workspaceId, email);
      const row = await insertInvitation(tx, {
        workspaceId,
        email,
        role,
        tokenHash: hashToken(token),
        createdById: actor.id,
        createdByName: actor.name,
        expiresAt: new Date(Date.now() + deps.ttlMs),
      });
      await audit(tx, scope, 'invitation.create', row, { email, role, expiresAt: row.expiresAt.toISOString() });
      return row;
    });
    const sent = await send(baseUrl, invitation, token, workspaceName);
    return { invitation: sent.emailed ? { ...invitation, lastSentAt: new Date() } : invitation, ...sent };
  }

  async function listInvitations(scope: RequestScope): Promise<InvitationRow[]> {
    assertCan(scope.principal, 'member:manage');
    return invitationsOfWorkspace(db, scope.principal.workspaceId);
  }

  async function invitationOf(tx: Tx, scope: RequestScope, id: string): Promise<InvitationRow> {
    const row = isUuid(id) ? await findInvitation(tx, scope.principal.workspaceId, id) : null;
    if (!row) throw new NotFoundError('No invitation of this workspace has this id.', { field: 'id' });
    return row;
  }

  /** A new link (the old one stops working) with a new expiry, e-mailed again when SMTP is set. */
  async function resendInvitation(scope: RequestScope, baseUrl: string, id: string, workspaceName: string): Promise<CreatedInvitation> {
    assertCan(scope.principal, 'member:manage');
    const token = newToken();
    const invitation = await db.transaction(async (tx) => {
      const row = await invitationOf(tx, scope, id);
      const status = invitationStatus(row);
      if (status === 'ACCEPTED' || status === 'REVOKED') throw new ConflictError(`This invitation was ${status.toLowerCase()}; invite the person again.`);
      const updated = await updateInvitation(tx, row.id, { tokenHash: hashToken(token), expiresAt: new Date(Date.now() + deps.ttlMs) });
      await audit(tx, scope, 'invitation.resend', updated, { expiresAt: updated.expiresAt.toISOString() });
      return updated;
    });
    const sent = await send(baseUrl, invitation, token, workspaceName);
    return { invitation: sent.emailed ? { ...invitation, lastSentAt: new Date() } : invitation, ...sent };
  }

  /** Idempotent for a revoked invitation; an accepted one is a member now (removeMember). */
  async function revokeInvitation(scope: RequestScope, id: string): Promise<InvitationRow> {
    assertCan(scope.principal, 'member:manage');
    return db.transaction(async (tx) => {
      const row = await invitationOf(tx, scope, id);
      if (row.revokedAt) return row;
      if (row.acceptedAt) throw new ConflictError('This invitation was accepted; remove the member instead.');
      const updated = await updateInvitation(tx, row.id, { revokedAt: new Date() });
      await audit(tx, scope, 'invitation.revoke', updated, { status: 'REVOKED' });
      return updated;
    });
  }

  /** The live invitation behind a token, locked; one answer for unknown, used, revoked and expired links. */
  async function liveInvitation(tx: Tx, token: unknown, kind: InvitationRow['kind']): Promise<InvitationRow> {
    const row = looksLikeToken(token) ? await lockInvitationByToken(tx, hashToken(token)) : null;
    if (!row || row.kind !== kind || invitationStatus(row) !== 'PENDING') throw new NotFoundError(INVALID_LINK, { field: 'token' });
    return row;
  }

  /**
   * POST /auth/invitation: what the link's holder is invited to (workspace, role, email) and where it
   * stands, so the page can say "expired: ask for a new one" instead of one answer for every failure.
   * Only the token's holder learns this; an unknown token is NOT_FOUND.
   */
  async function describeInvitation(token: unknown): Promise<{ status: InvitationStatus; email: string; role: Role; workspaceName: string; expiresAt: Date }> {
    // A read: no transaction and no row lock (an accept in progress is not held up by a page describing its link).
    const row = looksLikeToken(token) ? await findInvitationByToken(db, hashToken(token)) : null;
    if (!row || row.kind !== 'INVITE' || !row.email) throw new NotFoundError(INVALID_LINK, { field: 'token' });
    const workspace = await findWorkspace(db, row.workspaceId);
    return { status: invitationStatus(row), email: row.email, role: row.role as Role, workspaceName: workspace?.name ?? '', expiresAt: row.expiresAt };
  }

  async function join(tx: Tx, invitation: InvitationRow, user: UserRow, newAccount: boolean, requestId: string | null): Promise<MembershipRow> {
    const membership = await upsertMembership(tx, invitation.workspaceId, user.id, invitation.role);
    await updateInvitation(tx, invitation.id, { acceptedAt: new Date(), acceptedById: user.id });
    const actor: Actor = { id: user.id, name: user.name, email: user.email };
    await writeAudit(tx, {
      workspaceId: invitation.workspaceId,
      action: invitation.kind === 'SETUP' ? 'setup.complete' : 'invitation.accept',
      actor,
      targetType: 'invitation',
      targetId: invitation.id,
      target: user.email,
      after: { userId: user.id, role: membership.role, newAccount, isInstanceAdmin: user.isInstanceAdmin },
      requestId,
    });
    return membership;
  }

  /** A signed-in person accepts: the invitation must be for their email. */
  async function acceptAsPerson(person: PrincipalUser, token: unknown, requestId: string | null): Promise<MembershipRow> {
    const membership = await db.transaction(async (tx) => {
      const invitation = await liveInvitation(tx, token, 'INVITE');
      if (invitation.email?.toLowerCase() !== person.email.toLowerCase())
        throw new ForbiddenError('This invitation is for another email address: sign in as that person to accept it.');
      const user = await findUserByEmail(tx, person.email);
      if (!user) throw new NotFoundError(INVALID_LINK, { field: 'token' });
      return join(tx, invitation, user, false, requestId);
    });
    deps.members.announce(membership.workspaceId, person.id);
    return membership;
  }

  /** Somebody not signed in accepts: their account is created with the invitation's email, and they are signed in. */
  async function acceptWithNewAccount(token: unknown, rawName: unknown, password: unknown, client: ClientInfo) {
    const name = assertPersonName(rawName, 'name');
    const found = await db.transaction(async (tx) => liveInvitation(tx, token, 'INVITE'));
    assertAcceptablePassword(password as string, 'password', { email: found.email, name });
    const passwordHash = await hashPassword(password as string);
    const { user, membership } = await db.transaction(async (tx) => {
      const invitation = await liveInvitation(tx, token, 'INVITE');
      if (await findUserByEmail(tx, invitation.email!))
        throw new ConflictError('An account with this email exists: sign in, then open the invitation link again.');
      const created = await insertUser(tx, { email: invitation.email!, name, passwordHash });
      return { user: created, membership: await join(tx, invitation, created, true, client.requestId) };
    });
    deps.members.announce(membership.workspaceId, user.id);
    const session = await deps.sessions.signInAs(user, 'invitation', client);
    return { user, membership, token: session.token };
  }

  /** At start, while nobody has an account (and no ADMIN_EMAIL): a one-time set-up token, or null. */
  async function createSetupToken(): Promise<string | null> {
    const token = newToken();
    const created = await db.transaction(async (tx) => {
      await allowStartupTime(tx);
      await lockForTransaction(tx, FIRST_PERSON_LOCK, 'createSetupToken');
      if ((await countUsers(tx)) > 0) return false;
      const ws = await defaultWorkspace(tx);
      await insertInvitation(tx, {
        kind: 'SETUP',
        workspaceId: ws.id,
        role: 'ADMIN',
        tokenHash: hashToken(token),
        createdByName: 'system',
        expiresAt: new Date(Date.now() + SETUP_LINK_TTL_MS),
      });
      return true;
    });
    return created ? token : null;
  }

  /** The first person creates their account with the set-up link: instance admin, ADMIN of the default workspace, signed in. */
  async function completeSetup(token: unknown, rawEmail: unknown, rawName: unknown, password: unknown, client: ClientInfo) {
    // The link first: a spent or wrong one says so whatever else the form holds.
    await db.transaction(async (tx) => liveInvitation(tx, token, 'SETUP'));
    const email = assertEmail(rawEmail, 'email');
    const name = assertPersonName(rawName, 'name');
    assertAcceptablePassword(password as string, 'password', { email, name });
    const passwordHash = await hashPassword(password as string);
    const { user, membership } = await db.transaction(async (tx) => {
      await lockForTransaction(tx, FIRST_PERSON_LOCK, 'completeSetup');
      const invitation = await liveInvitation(tx, token, 'SETUP');
      if ((await countUsers(tx)) > 0) throw new ConflictError('Set-up is done: the first person has an account. Sign in.');
      const created = await insertUser(tx, { email, name, passwordHash, isInstanceAdmin: true });
      return { user: created, membership: await join(tx, invitation, created, true, client.requestId) };
    });
    deps.logger.info({ userId: user.id }, 'set-up link used: created the first person as an instance admin');
    const session = await deps.sessions.signInAs(user, 'setup', client);
    return { user, membership, token: session.token };
  }

  return {
    inviteMember,
    listInvitations,
    resendInvitation,
    revokeInvitation,
    describeInvitation,
    acceptAsPerson,
    acceptWithNewAccount,
    createSetupToken,
    completeSetup,
  };
}

async function audit(tx: Tx, scope: RequestScope, action: string, row: InvitationRow, after: Record<string, unknown>): Promise<void> {
  await writeAudit(tx, {
    workspaceId: row.workspaceId,
    action,
    actor: actorOf(scope.principal),
    targetType: 'invitation',
    targetId: row.id,
    target: row.email,
    after,
    requestId: scope.requestId,
  });
}
