/** The append-only audit trail: written by services inside the transaction of the change. */
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { BadInputError } from '../errors';
import type { Executor } from '../db/client';
import { auditLog, type AuditRow } from '../db/schema';
import type { Actor } from '../auth/principal';
import { decodeCursor, encodeCursor } from '../shared/pagination';
import { assertText, assertUuid } from '../shared/validate';

export type AuditEntryInput = {
  workspaceId: string;
  action: string;
  actor: Actor;
  targetType: string;
  targetId?: string | null;
  target?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
};

export async function writeAudit(tx: Executor, entry: AuditEntryInput): Promise<void> {
  await tx.insert(auditLog).values({
    workspaceId: entry.workspaceId,
    action: entry.action,
    actorId: entry.actor.id,
    actorName: entry.actor.name,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    target: entry.target ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: entry.requestId ?? null,
  });
}

export type AuditFilter = { action?: string | null; targetId?: string | null; actorId?: string | null; from?: Date | null; to?: Date | null };

/** Newest first; the cursor is the insertion sequence, so entries sharing a timestamp page correctly. */
export async function listAudit(
  db: Executor,
  workspaceId: string,
  filter: AuditFilter,
  first: number,
  after: string | null,
): Promise<{ rows: AuditRow[]; hasNextPage: boolean; totalCount: number; cursorOf: (r: AuditRow) => string }> {
  if (filter.actorId) assertUuid(filter.actorId, 'filter.actorId');
  if (filter.action) assertText(filter.action, 'filter.action', 100);
  if (filter.targetId) assertText(filter.targetId, 'filter.targetId', 200);
  const conditions: SQL[] = [eq(auditLog.workspaceId, workspaceId)];
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.targetId) conditions.push(eq(auditLog.targetId, filter.targetId));
  if (filter.actorId) conditions.push(eq(auditLog.actorId, filter.actorId));
  if (filter.from) conditions.push(gte(auditLog.at, filter.from));
  if (filter.to) conditions.push(lt(auditLog.at, filter.to));
  const base = and(...conditions)!;
  const totalCount = await db.$count(auditLog, base);
  const pageConditions = [base];
  if (after) {
    const seq = Number(decodeCursor(after, 'audit', 1)[0]);
    if (!Number.isSafeInteger(seq)) throw new BadInputError('after', 'Invalid cursor: pass an endCursor from a previous page.');
    pageConditions.push(lt(auditLog.seq, seq));
  }
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...pageConditions))
    .orderBy(desc(auditLog.seq))
    .limit(first + 1);
  return {
    rows: rows.slice(0, first),
    hasNextPage: rows.length > first,
    totalCount,
    cursorOf: (r) => encodeCursor('audit', [String(r.seq)]),
  };
}
