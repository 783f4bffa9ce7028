/** SQL for users and memberships. Emails compare case-insensitively (unique index on lower(email)). */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { findDefaultWorkspace } from '../auth/workspace-store';
import type { Executor } from '../db/client';
import { onViolation } from '../db/constraints';
import { memberships, users, workspaces, type MembershipRow, type UserRow, type WorkspaceRow } from '../db/schema';
import type { Role } from '../auth/permissions';
import { ConflictError } from '../errors';

/** The account's unique keys: one account per email (any case) and per SSO identity. */
const ACCOUNT_TAKEN = {
  users_email_lower: () => new ConflictError('A person with this email already has an account.'),
  users_oidc_subject: () => new ConflictError('This sign-in identity is already linked to an account.'),
};

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email}) /* findUserByEmail */`);
  return row ?? null;
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

export async function findUserByOidcSubject(db: Executor, issuer: string, subject: string): Promise<UserRow | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.oidcIssuer, issuer), eq(users.oidcSubject, subject)));
  return row ?? null;
}

export async function usersByIds(db: Executor, ids: readonly string[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(users)
    .where(inArray(users.id, [...ids]));
}

export async function insertUser(db: Executor, values: typeof users.$inferInsert): Promise<UserRow> {
  const [row] = await onViolation(db.insert(users).values(values).returning(), ACCOUNT_TAKEN);
  return row!;
}

export async function updateUser(db: Executor, id: string, set: Partial<typeof users.$inferInsert>): Promise<UserRow> {
  const [row] = await onViolation(db.update(users).set(set).where(eq(users.id, id)).returning(), ACCOUNT_TAKEN);
  return row!;
}

export async function countUsers(db: Executor): Promise<number> {
  return db.$count(users);
}

/** A person's memberships with their workspaces, in the order they joined. */
export async function membershipsOfUser(db: Executor, userId: string): Promise<(MembershipRow & { workspace: WorkspaceRow })[]> {
  const rows = await db
    .select({ m: memberships, w: workspaces })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.joinedAt), asc(memberships.workspaceId));
  return rows.map((r) => ({ ...r.m, workspace: r.w }));
}

export async function findMembership(db: Executor, workspaceId: string, userId: string, forUpdate = false): Promise<MembershipRow | null> {
  const q = db
    .select()
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export async function membersOfWorkspace(db: Executor, workspaceId: string): Promise<(MembershipRow & { user: UserRow })[]> {
  const rows = await db
    .select({ m: memberships, u: users })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(memberships.joinedAt), asc(users.email));
  return rows.map((r) => ({ ...r.m, user: r.u }));
}

/** Adds the membership, or keeps the existing one (joining twice is not an error). */
export async function upsertMembership(db: Executor, workspaceId: string, userId: string, role: Role): Promise<MembershipRow> {
  await db.insert(memberships).values({ workspaceId, userId, role }).onConflictDoNothing();
  return (await findMembership(db, workspaceId, userId))!;
}

export async function setMembershipRole(db: Executor, workspaceId: string, userId: string, role: Role): Promise<MembershipRow> {
  const [row] = await db
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
    .returning();
  return row!;
}

export async function deleteMembership(db: Executor, workspaceId: string, userId: string): Promise<void> {
  await db.delete(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
}

/** ADMIN members of a workspace, locked: the last one cannot be demoted or removed. */
export async function lockAdmins(db: Executor, workspaceId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, 'ADMIN')))
    .for('update');
  return rows.map((r) => r.userId);
}

/** The default workspace, which the start-up bootstrap always creates. */
export async function defaultWorkspace(db: Executor): Promise<WorkspaceRow> {
  return (await findDefaultWorkspace(db))!;
}
