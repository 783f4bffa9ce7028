/** Alerts (create/delete: ADMIN; read: anyone who reads metrics): a rule on a prompt, a folder or the workspace. */
import { assertCan } from '../auth/permissions';
import { actorOf } from '../auth/principal';
import { writeAudit } from '../audit/audit-log';
import type { Db } from '../db/client';
import type { AlertRow } from '../db/schema';
import { BadInputError, NotFoundError } from '../errors';
import type { RequestScope } from '../shared/request-scope';
import { assertPageSize } from '../shared/pagination';
import { assertFiniteRange, assertIntRange, assertPromptName, optionalText } from '../shared/validate';
import { ALERT_METRICS, DEFAULT_WINDOW_MINUTES, type AlertMetric } from './alert-rules';
import { findAlert, historyOf, insertAlert, listAlerts as list, softDeleteAlert } from './alert-store';

export type AlertDeps = { db: Db };

export type AlertInput = {
  name?: string | null;
  promptName?: string | null;
  folder?: string | null;
  metric: AlertMetric;
  threshold: number;
  windowMinutes?: number | null;
};

export async function createAlert(deps: AlertDeps, scope: RequestScope, input: AlertInput): Promise<AlertRow> {
  assertCan(scope.principal, 'alert:manage');
  if (!ALERT_METRICS.includes(input.metric)) throw new BadInputError('input.metric', `metric is one of ${ALERT_METRICS.join(', ')}.`);
  if (input.promptName != null && input.folder != null) throw new BadInputError('input.folder', 'Give promptName or folder, not both.');
  const promptName = input.promptName == null ? null : assertPromptName(input.promptName, 'input.promptName');
  const folder = input.folder == null ? null : `${assertPromptName(input.folder.replace(/\/+$/, ''), 'input.folder')}/`;
  const threshold = assertFiniteRange(input.threshold, 'input.threshold', -1e12, 1e12);
  const windowMinutes = assertIntRange(input.windowMinutes ?? DEFAULT_WINDOW_MINUTES[input.metric], 'input.windowMinutes', 1, 43_200);
  const actor = actorOf(scope.principal);
  return deps.db.transaction(async (tx) => {
    const row = await insertAlert(tx, {
      workspaceId: scope.principal.workspaceId,
      name: optionalText(input.name, 'input.name', 200),
      promptName,
      folder,
      metric: input.metric,
      threshold,
      windowMinutes,
      createdById: actor.id,
      createdByName: actor.name,
    });
    await writeAudit(tx, {
      workspaceId: row.workspaceId,
      action: 'alert.create',
      actor,
      targetType: 'alert',
      targetId: row.id,
      target: row.name ?? row.metric,
      after: { promptName, folder, metric: row.metric, threshold, windowMinutes },
      requestId: scope.requestId,
    });
    return row;
  });
}

export async function deleteAlert(deps: AlertDeps, scope: RequestScope, id: string): Promise<AlertRow> {
  assertCan(scope.principal, 'alert:manage');
  const actor = actorOf(scope.principal);
  return deps.db.transaction(async (tx) => {
    const found = await findAlert(tx, scope.principal.workspaceId, id);
    if (!found) throw new NotFoundError('No alert with this id.', { field: 'id' });
    const row = await softDeleteAlert(tx, found.id);
    await writeAudit(tx, {
      workspaceId: row.workspaceId,
      action: 'alert.delete',
      actor,
      targetType: 'alert',
      targetId: row.id,
      target: row.name ?? row.metric,
      requestId: scope.requestId,
    });
    return row;
  });
}

export async function listAlerts(deps: AlertDeps, scope: RequestScope): Promise<AlertRow[]> {
  assertCan(scope.principal, 'alert:read');
  return list(deps.db, scope.principal.workspaceId);
}

export async function getAlert(deps: AlertDeps, scope: RequestScope, id: string): Promise<AlertRow | null> {
  assertCan(scope.principal, 'alert:read');
  return findAlert(deps.db, scope.principal.workspaceId, id);
}

export async function alertHistory(deps: AlertDeps, alert: AlertRow, first: number | null | undefined) {
  return historyOf(deps.db, alert.id, assertPageSize(first));
}
