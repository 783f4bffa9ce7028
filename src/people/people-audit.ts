/**
 * Audit entries about a person (sign-ins, failures, session revocations): the audit log is per
 * workspace, so an event about a person goes to every workspace they belong to, where that
 * workspace's ADMINs read it; an event with no known person (an unknown email) goes to the default
 * workspace, the instance's own log.
 */
import type { Actor } from '../auth/principal';
import { writeAudit } from '../audit/audit-log';
import type { Executor } from '../db/client';
import { defaultWorkspace, membershipsOfUser } from './user-store';

export type PersonAuditEntry = {
  action: string;
  actor: Actor;
  targetId?: string | null;
  target?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
};

export async function auditForPerson(db: Executor, userId: string | null, entry: PersonAuditEntry): Promise<void> {
  const workspaceIds = userId ? (await membershipsOfUser(db, userId)).map((m) => m.workspaceId) : [];
  if (workspaceIds.length === 0) workspaceIds.push((await defaultWorkspace(db)).id);
  for (const workspaceId of workspaceIds) await writeAudit(db, { workspaceId, targetType: 'user', ...entry, targetId: entry.targetId ?? userId });
}
