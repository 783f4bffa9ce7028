/** Data access of workspaces: by id, the default one, create, and the protected labels. */
import { eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { workspaces, type WorkspaceRow } from '../db/schema';
import { DEFAULT_PROTECTED_LABELS } from '../shared/labels';

export async function workspacesByIds(db: Executor, ids: readonly string[]): Promise<WorkspaceRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(workspaces)
    .where(inArray(workspaces.id, [...ids]));
}

/** `lock` holds the row for the rest of the transaction (`FOR UPDATE`). */
export async function findWorkspace(db: Executor, id: string, lock = false): Promise<WorkspaceRow | null> {
  const q = db.select().from(workspaces).where(eq(workspaces.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

/** The labels only some roles may move; a workspace without the row has the schema's default. */
export async function protectedLabelsOf(db: Executor, workspaceId: string): Promise<string[]> {
  const [ws] = await db.select({ protectedLabels: workspaces.protectedLabels }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return ws?.protectedLabels ?? [...DEFAULT_PROTECTED_LABELS];
}

export async function findDefaultWorkspace(db: Executor): Promise<WorkspaceRow | null> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.isDefault, true));
  return row ?? null;
}

export async function insertWorkspace(tx: Executor, row: typeof workspaces.$inferInsert): Promise<WorkspaceRow> {
  const [inserted] = await tx.insert(workspaces).values(row).returning();
  return inserted!;
}

export async function updateProtectedLabels(tx: Executor, id: string, protectedLabels: string[]): Promise<WorkspaceRow> {
  const [row] = await tx.update(workspaces).set({ protectedLabels }).where(eq(workspaces.id, id)).returning();
  return row!;
}
