/** The append-only audit trail: written by services inside the transaction of the change. */
import { assertCan } from '../auth/permissions';
import { BadInputError } from '../errors';
import type { Executor } from '../db/client';
import type { AuditRow } from '../db/schema';
import { auditPage, insertAuditRow } from './audit-store';
import type { Actor } from '../auth/principal';
import { decodeCursor, encodeCursor } from '../shared/pagination';
import type { RequestScope } from '../shared/request-scope';
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
  await insertAuditRow(tx, {
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

export type AuditFilter = {
  action?: string | null;
  targetId?: string | null;
  actorId?: string | null;
  from?: Date | null;
  to?: Date | null;
  prompt?: string | null;
};

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
  if (filter.prompt) assertText(filter.prompt, 'filter.prompt', 300);
  let beforeSeq: number | null = null;
  if (after) {
    beforeSeq = Number(decodeCursor(after, 'audit', 1)[0]);
    if (!Number.isSafeInteger(beforeSeq)) throw new BadInputError('after', 'Invalid cursor: pass an endCursor from a previous page.');
  }
  const { rows, totalCount } = await auditPage(db, { workspaceId, ...filter }, beforeSeq, first + 1);
  return {
    rows: rows.slice(0, first),
    hasNextPage: rows.length > first,
    totalCount,
    cursorOf: (r) => encodeCursor('audit', [String(r.seq)]),
  };
}

export type AuditPage = Awaited<ReturnType<typeof listAudit>>;
export type AuditReader = { list(scope: RequestScope, filter: AuditFilter, first: number, after: string | null): Promise<AuditPage> };

/** Reading the trail needs `audit:read`; a caller reads its own workspace's entries only. */
export function createAuditReader(db: Executor): AuditReader {
  return {
    list(scope, filter, first, after) {
      assertCan(scope.principal, 'audit:read');
      return listAudit(db, scope.principal.workspaceId, filter, first, after);
    },
  };
}
