/**
 * A workspace's people, for its ADMINs: list members, change a member's role, remove a member. A
 * change reaches every instance at once (MEMBERSHIP_CHANGED: cached sessions and personal-key rights
 * are dropped, sockets re-checked); a removed member's personal keys of the workspace are revoked,
 * and when they belong to no workspace any more, every session of theirs ends.
 */
import type { Db, Tx } from '../db/client';
import type { MembershipRow, UserRow } from '../db/schema';
import { ConflictError, NotFoundError } from '../errors';
import type { EventBus } from '../pubsub/event-bus';
import { writeAudit } from '../audit/audit-log';
import { assertCan, type Role } from '../auth/permissions';
import { actorOf } from '../auth/principal';
import type { RequestScope } from '../shared/request-scope';
import { isUuid } from '../shared/validate';
import { revokePersonalKeys } from './invitation-store';
import type { SessionService } from './session-service';
import {
  deleteMembership,
  findMembership,
  findUserById,
  lockAdmins,
  membersOfWorkspace,
  membershipsOfUser,
  setMembershipRole,
  upsertMembership,
} from './user-store';
import { revokeSessionsOfUser } from './session-store';

export type Member = MembershipRow & { user: UserRow };

/** The person who creates a workspace is its first ADMIN member (inside the creating transaction). */
export async function joinCreatedWorkspace(tx: Tx, workspaceId: string, userId: string): Promise<void> {
  await upsertMembership(tx, workspaceId, userId, 'ADMIN');
}

export type MemberServiceDeps = { db: Db; bus: EventBus; sessions: SessionService };

export type MemberService = ReturnType<typeof createMemberService>;

export function createMemberService(deps: MemberServiceDeps) {
  const { db, bus } = deps;

  async function listMembers(scope: RequestScope): Promise<Member[]> {
    assertCan(scope.principal, 'member:manage');
    return membersOfWorkspace(db, scope.principal.workspaceId);
  }

  /** The member, locked, with the workspace's ADMINs (locked too: two ADMINs demoting each other cannot leave none). */
  async function lockMember(tx: Tx, workspaceId: string, userId: string) {
    const admins = await lockAdmins(tx, workspaceId);
    const membership = isUuid(userId) ? await findMembership(tx, workspaceId, userId, true) : null;
    const user = membership ? await findUserById(tx, userId) : null;
    if (!membership || !user) throw new NotFoundError('No member of this workspace has this user id.', { field: 'userId' });
    return { membership, user, admins };
  }

  function assertKeepsAnAdmin(admins: string[], membership: MembershipRow, losesAdmin: boolean): void {
    if (losesAdmin && membership.role === 'ADMIN' && admins.length <= 1 && admins.includes(membership.userId))
      throw new ConflictError('This is the workspace’s last ADMIN: make someone else ADMIN first.');
  }

  async function setMemberRole(scope: RequestScope, userId: string, role: Role): Promise<Member> {
    assertCan(scope.principal, 'member:manage');
    const workspaceId = scope.principal.workspaceId;
    const member = await db.transaction(async (tx) => {
      const { membership, user, admins } = await lockMember(tx, workspaceId, userId);
      if (membership.role === role) return { ...membership, user };
      assertKeepsAnAdmin(admins, membership, role !== 'ADMIN');
      const updated = await setMembershipRole(tx, workspaceId, userId, role);
      await writeAudit(tx, {
        workspaceId,
        action: 'member.setRole',
        actor: actorOf(scope.principal),
        targetType: 'user',
        targetId: userId,
        target: user.email,
        before: { role: membership.role },
        after: { role },
        requestId: scope.requestId,
      });
      return { ...updated, user, changed: true };
    });
    if ('changed' in member) announce(workspaceId, userId);
    return member;
  }

  async function removeMember(scope: RequestScope, userId: string): Promise<Member> {
    assertCan(scope.principal, 'member:manage');
    const workspaceId = scope.principal.workspaceId;
    const { member, endedSessions, revokedKeys } = await db.transaction(async (tx) => {
      const { membership, user, admins } = await lockMember(tx, workspaceId, userId);
      assertKeepsAnAdmin(admins, membership, true);
      await deleteMembership(tx, workspaceId, userId);
      const keys = await revokePersonalKeys(tx, workspaceId, userId);
      // Nowhere left to work in: every session of theirs ends (in another workspace a session keeps that workspace only).
      const remaining = await membershipsOfUser(tx, userId);
      const ended = remaining.length === 0 ? await revokeSessionsOfUser(tx, userId) : [];
      await writeAudit(tx, {
        workspaceId,
        action: 'member.remove',
        actor: actorOf(scope.principal),
        targetType: 'user',
        targetId: userId,
        target: user.email,
        before: { role: membership.role },
        after: { revokedKeys: keys.length, endedSessions: ended.length },
        requestId: scope.requestId,
      });
      return { member: { ...membership, user }, endedSessions: ended, revokedKeys: keys };
    });
    for (const key of revokedKeys) void bus.publish('KEY_REVOKED', { workspaceId, keyId: key.id });
    announce(workspaceId, userId);
    if (endedSessions.length > 0)
      deps.sessions.announceRevoked(
        userId,
        endedSessions.map((s) => s.id),
      );
    return member;
  }

  /** Rights of this person changed: every instance drops what it cached and re-checks their sockets. */
  function announce(workspaceId: string, userId: string): void {
    deps.sessions.evictUser(userId);
    void bus.publish('MEMBERSHIP_CHANGED', { workspaceId, userId });
  }

  return { listMembers, setMemberRole, removeMember, announce };
}
