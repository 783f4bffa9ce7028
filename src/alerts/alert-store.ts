/** SQL of alerts: insert, find, list, soft delete, state changes with their history, the prompts of a folder. */
import { and, asc, desc, eq, isNull, like } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { alertHistory, alerts, prompts, type AlertHistoryRow, type AlertRow } from '../db/schema';
import { isUuid } from '../shared/validate';

export async function insertAlert(db: Executor, values: typeof alerts.$inferInsert): Promise<AlertRow> {
  const [row] = await db.insert(alerts).values(values).returning();
  return row!;
}

export async function findAlert(db: Executor, workspaceId: string, id: string): Promise<AlertRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.workspaceId, workspaceId), eq(alerts.id, id.toLowerCase()), isNull(alerts.deletedAt)));
  return row ?? null;
}

export async function listAlerts(db: Executor, workspaceId: string): Promise<AlertRow[]> {
  return db
    .select()
    .from(alerts)
    .where(and(eq(alerts.workspaceId, workspaceId), isNull(alerts.deletedAt)))
    .orderBy(asc(alerts.createdAt), asc(alerts.id));
}

/** Every live alert of every workspace, locked for this evaluation. */
export async function lockAllAlerts(tx: Executor): Promise<AlertRow[]> {
  return tx.select().from(alerts).where(isNull(alerts.deletedAt)).orderBy(asc(alerts.id)).for('update', { skipLocked: true });
}

export async function softDeleteAlert(db: Executor, id: string): Promise<AlertRow> {
  const [row] = await db.update(alerts).set({ deletedAt: new Date() }).where(eq(alerts.id, id)).returning();
  return row!;
}

export async function saveEvaluation(db: Executor, id: string, value: number | null, change: 'OK' | 'FIRING' | null): Promise<AlertRow> {
  const now = new Date();
  const [row] = await db
    .update(alerts)
    .set({ lastValue: value, lastEvaluatedAt: now, ...(change ? { state: change, lastChangedAt: now } : {}) })
    .where(eq(alerts.id, id))
    .returning();
  if (change) await db.insert(alertHistory).values({ alertId: id, workspaceId: row!.workspaceId, state: change, value, at: now });
  return row!;
}

export async function historyOf(db: Executor, alertId: string, limit: number): Promise<AlertHistoryRow[]> {
  return db.select().from(alertHistory).where(eq(alertHistory.alertId, alertId)).orderBy(desc(alertHistory.seq)).limit(limit);
}

export async function promptIdsInFolder(db: Executor, workspaceId: string, folder: string): Promise<string[]> {
  const escaped = folder.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await db
    .select({ id: prompts.id })
    .from(prompts)
    .where(and(eq(prompts.workspaceId, workspaceId), like(prompts.name, `${escaped}%`)));
  return rows.map((r) => r.id);
}
