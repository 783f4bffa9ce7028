/**
 * One label move inside the caller's transaction: permission (protected labels), the pointer
 * itself, the append-only history entry and the audit row. The caller locks the prompt and raises
 * its revision once per mutation.
 */
import { assertCan, type Action } from '../auth/permissions';
import { actorOf } from '../auth/principal';
import { writeAudit } from '../audit/audit-log';
import { protectedLabelsOf } from '../auth/workspace-store';
import type { Executor } from '../db/client';
import type { PromptRow, VersionRow } from '../db/schema';
import { BadInputError } from '../errors';
import type { RequestScope } from '../shared/request-scope';
import type { ChangeBy } from './label-policy';
import { appendLabelHistory, currentLabelTarget, writeLabel } from './label-store';
import { LATEST_LABEL } from '../shared/labels';

/** The actor and request id of a caller's change. */
export function changeBy(scope: RequestScope): ChangeBy {
  return { actor: actorOf(scope.principal), requestId: scope.requestId };
}

/** The action that moving `label` needs, given the workspace's protected labels. */
export function labelMoveAction(protectedLabels: readonly string[], label: string): Action {
  return protectedLabels.includes(label) ? 'label:move-protected' : 'label:move';
}

export async function assertCanMoveLabel(tx: Executor, scope: RequestScope, label: string): Promise<void> {
  assertCan(scope.principal, labelMoveAction(await protectedLabelsOf(tx, scope.principal.workspaceId), label));
}

/**
 * Points `label` at `version` (or removes it when `version` is null). Returns false when nothing
 * changed. Permission is the caller's to check (assertCanMoveLabel) before.
 */
export async function moveLabelInTx(
  tx: Executor,
  by: ChangeBy,
  prompt: PromptRow,
  label: string,
  version: VersionRow | null,
  options: { reason?: string | null; action?: string } = {},
): Promise<boolean> {
  if (label === LATEST_LABEL) throw new BadInputError('label', '"latest" always means the newest version and cannot be set.');
  const from = await currentLabelTarget(tx, prompt.id, label, true);
  const to = version?.id ?? null;
  if (from === to) return false;
  const { actor } = by;
  await writeLabel(tx, prompt.id, label, to, actor);
  await appendLabelHistory(tx, {
    promptId: prompt.id,
    label,
    fromVersionId: from,
    toVersionId: to,
    actorId: actor.id,
    actorName: actor.name,
    reason: options.reason ?? null,
    revision: prompt.revision,
  });
  await writeAudit(tx, {
    workspaceId: prompt.workspaceId,
    action: options.action ?? (to ? 'label.set' : 'label.remove'),
    actor,
    targetType: 'label',
    targetId: prompt.id,
    target: `${prompt.name}@${label}`,
    before: { label, versionId: from },
    after: { label, versionId: to, reason: options.reason ?? null },
    requestId: by.requestId,
  });
  return true;
}
