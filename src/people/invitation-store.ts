/** SQL for invitations (kind INVITE, and the first-start SETUP link) and password-reset links; tokens are stored as their SHA-256. */
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { apiKeys, invitations, passwordResets, type InvitationRow } from '../db/schema';

export type PasswordResetRow = typeof passwordResets.$inferSelect;

export async function insertInvitation(db: Executor, values: typeof invitations.$inferInsert): Promise<InvitationRow> {
  const [row] = await db.insert(invitations).values(values).returning();
  return row!;
}

export async function invitationsOfWorkspace(db: Executor, workspaceId: string): Promise<InvitationRow[]> {
  return db
    .select()
    .from(invitations)
    .where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.kind, 'INVITE')))
    .orderBy(desc(invitations.createdAt), desc(invitations.id));
}

export async function findInvitation(db: Executor, workspaceId: string, id: string): Promise<InvitationRow | null> {
  const [row] = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.id, id), eq(invitations.workspaceId, workspaceId), eq(invitations.kind, 'INVITE')));
  return row ?? null;
}

/** The invitation behind a token; `lock` holds it for its single use (`FOR UPDATE`, in a transaction). */
export async function findInvitationByToken(db: Executor, tokenHash: string, lock = false): Promise<InvitationRow | null> {
  const q = db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

/** The invitation behind a token, locked for its single use. */
export const lockInvitationByToken = (db: Executor, tokenHash: string) => findInvitationByToken(db, tokenHash, true);

export async function updateInvitation(db: Executor, id: string, set: Partial<typeof invitations.$inferInsert>): Promise<InvitationRow> {
  const [row] = await db.update(invitations).set(set).where(eq(invitations.id, id)).returning();
  return row!;
}

/** Pending (neither accepted nor revoked) invitations of an email to a workspace: a new one replaces them. */
export async function revokePendingInvitationsOf(db: Executor, workspaceId: string, email: string): Promise<void> {
  await db
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(invitations.workspaceId, workspaceId),
        eq(invitations.kind, 'INVITE'),
        eq(invitations.email, email),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    );
}

export async function insertPasswordReset(db: Executor, values: typeof passwordResets.$inferInsert): Promise<PasswordResetRow> {
  const [row] = await db.insert(passwordResets).values(values).returning();
  return row!;
}

export async function lockPasswordResetByToken(db: Executor, tokenHash: string): Promise<PasswordResetRow | null> {
  const [row] = await db.select().from(passwordResets).where(eq(passwordResets.tokenHash, tokenHash)).for('update');
  return row ?? null;
}

export async function markPasswordResetUsed(db: Executor, id: string): Promise<void> {
  await db.update(passwordResets).set({ usedAt: new Date() }).where(eq(passwordResets.id, id));
}

/** Earlier unused reset links of a person stop working when a new one is made or one is used. */
export async function voidPasswordResetsOf(db: Executor, userId: string): Promise<void> {
  await db
    .update(passwordResets)
    .set({ usedAt: new Date() })
    .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
}

/** A removed member's own keys in that workspace are revoked with the membership (they would come back with a new invitation otherwise). */
export async function revokePersonalKeys(db: Executor, workspaceId: string, userId: string): Promise<{ id: string }[]> {
  return db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
}
