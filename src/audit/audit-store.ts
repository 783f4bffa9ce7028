/** Data access of the append-only audit log: the insert, and a filtered page newest first. */
import { and, desc, eq, gte, inArray, like, lt, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { escapeLike } from '../db/like';
import { auditLog, type AuditRow } from '../db/schema';

export async function insertAuditRow(tx: Executor, row: typeof auditLog.$inferInsert): Promise<void> {
  await tx.insert(auditLog).values(row);
}

/** Already validated. */
export type AuditQuery = {
  workspaceId: string;
  action?: string | null;
  targetId?: string | null;
  actorId?: string | null;
  from?: Date | null;
  to?: Date | null;
  prompt?: string | null;
};

/** A prompt's entries and those of its versions (`name#N`), labels and A/B tests (`name@label`); a person's email is no prompt. */
function promptCondition(name: string): SQL {
  return or(
    and(eq(auditLog.targetType, 'prompt'), eq(auditLog.target, name)),
    and(eq(auditLog.targetType, 'version'), like(auditLog.target, `${escapeLike(name)}#%`)),
    and(inArray(auditLog.targetType, ['label', 'abtest']), like(auditLog.target, `${escapeLike(name)}@%`)),
  )!;
}

/** Newest first by insertion sequence; `beforeSeq` pages on. The total counts every match, not only the page. */
export async function auditPage(db: Executor, q: AuditQuery, beforeSeq: number | null, limit: number): Promise<{ rows: AuditRow[]; totalCount: number }> {
  const conditions: SQL[] = [eq(auditLog.workspaceId, q.workspaceId)];
  if (q.action) conditions.push(eq(auditLog.action, q.action));
  if (q.targetId) conditions.push(eq(auditLog.targetId, q.targetId));
  if (q.actorId) conditions.push(eq(auditLog.actorId, q.actorId));
  if (q.from) conditions.push(gte(auditLog.at, q.from));
  if (q.to) conditions.push(lt(auditLog.at, q.to));
  if (q.prompt) conditions.push(promptCondition(q.prompt));
  const base = and(...conditions)!;
  const totalCount = await db.$count(auditLog, base);
  const rows = await db
    .select()
    .from(auditLog)
    .where(beforeSeq === null ? base : and(base, lt(auditLog.seq, beforeSeq)))
    .orderBy(desc(auditLog.seq))
    .limit(limit);
  return { rows, totalCount };
}
