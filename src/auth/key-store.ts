/** Data access of API keys: by key id, by id (locked), a workspace's list, insert, revoke, last use. */
import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { apiKeys, type ApiKeyRow } from '../db/schema';
import { isUuid } from '../shared/validate';

export type NewApiKeyRow = typeof apiKeys.$inferInsert;

export async function keyByKeyId(db: Executor, keyId: string): Promise<ApiKeyRow | null> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.keyId, keyId));
  return row ?? null;
}

export async function recordKeyUse(db: Executor, id: string, at: Date): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
}

export async function insertKey(tx: Executor, row: NewApiKeyRow): Promise<ApiKeyRow> {
  const [created] = await tx.insert(apiKeys).values(row).returning();
  return created!;
}

/** The key of ADMIN_API_KEY: created, or brought back to that secret and role (unrevoked). */
export async function upsertEnvAdminKey(tx: Executor, row: NewApiKeyRow): Promise<void> {
  await tx
    .insert(apiKeys)
    .values(row)
    .onConflictDoUpdate({ target: apiKeys.keyId, set: { secretHash: row.secretHash, revokedAt: null, role: 'ADMIN', isInstanceAdmin: true } });
}

export async function anyKeyExists(db: Executor): Promise<boolean> {
  const rows = await db.select({ id: apiKeys.id }).from(apiKeys).limit(1);
  return rows.length > 0;
}

/** A key of the workspace, locked for the rest of the transaction; a malformed id is simply not found. */
export async function lockKey(tx: Executor, workspaceId: string, id: string): Promise<ApiKeyRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await tx
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.workspaceId, workspaceId)))
    .for('update');
  return row ?? null;
}

export async function revokeKey(tx: Executor, id: string): Promise<ApiKeyRow> {
  const [row] = await tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id)).returning();
  return row!;
}

/** Oldest first; only one person's keys when `userId` is given. */
export async function keysOfWorkspace(db: Executor, workspaceId: string, userId?: string): Promise<ApiKeyRow[]> {
  return db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.workspaceId, workspaceId), userId === undefined ? undefined : eq(apiKeys.userId, userId)))
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
}
