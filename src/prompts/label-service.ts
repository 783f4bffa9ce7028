/** Labels: set, remove, roll back `production`, read the label history and the versions behind a label. */
import { assertCan } from '../auth/permissions';
import { actorOf } from '../auth/principal';
import type { LabelHistoryRow, PromptRow, VersionRow } from '../db/schema';
import { BadInputError, NotFoundError } from '../errors';
import type { RequestScope } from '../shared/request-scope';
import { assertPageSize } from '../shared/pagination';
import { assertLabelName, assertUuid, optionalText } from '../shared/validate';
import type { PromptDeps } from './deps';
import { changeInTransaction } from '../shared/unit-of-work';
import { changeEvent } from './events';
import { assertCanMoveLabel, changeBy, moveLabelInTx } from './label-moves';
import { currentLabelTarget, labelHistoryOf, versionsAtLabel as versionsAtLabelOf } from './label-store';
import { bumpRevision, lockPrompt } from './prompt-store';
import { versionOfPrompt } from './version-store';
import { LATEST_LABEL } from '../shared/labels';

export async function setLabel(
  deps: PromptDeps,
  scope: RequestScope,
  args: { promptName: string; label: string; versionId: string; expectedRevision?: number | null; reason?: string | null },
): Promise<PromptRow> {
  assertCan(scope.principal, 'label:move');
  const label = assertLabelName(args.label, 'label');
  if (label === LATEST_LABEL) throw new BadInputError('label', '"latest" always means the newest version and cannot be set.');
  const versionId = assertUuid(args.versionId, 'versionId');
  const reason = optionalText(args.reason, 'reason', 500);
  return changeInTransaction(deps, async (tx, emit) => {
    const prompt = await lockPrompt(tx, scope.principal.workspaceId, args.promptName, args.expectedRevision);
    const version = await versionOfPrompt(tx, prompt, versionId);
    // Permission first; then the label's owner (a running A/B test) may refuse a move by hand (CONFLICT).
    await assertCanMoveLabel(tx, scope, label);
    await deps.labelPolicy.assertMayMove(tx, prompt, label);
    if ((await currentLabelTarget(tx, prompt.id, label)) === version.id) return prompt; // idempotent: already there, nothing changes
    const after = await bumpRevision(tx, prompt.id);
    await moveLabelInTx(tx, changeBy(scope), after, label, version, { reason });
    emit('PROMPT_CHANGED', changeEvent(after, 'LABEL_MOVED', actorOf(scope.principal), { versionId: version.id, label }));
    return after;
  });
}

export async function removeLabel(
  deps: PromptDeps,
  scope: RequestScope,
  args: { promptName: string; label: string; expectedRevision?: number | null; reason?: string | null },
): Promise<PromptRow> {
  assertCan(scope.principal, 'label:move');
  const label = assertLabelName(args.label, 'label');
  if (label === 'production') throw new BadInputError('label', 'production cannot be removed; point it at another version or roll back.');
  const reason = optionalText(args.reason, 'reason', 500);
  return changeInTransaction(deps, async (tx, emit) => {
    const prompt = await lockPrompt(tx, scope.principal.workspaceId, args.promptName, args.expectedRevision);
    if (!(await currentLabelTarget(tx, prompt.id, label))) throw new NotFoundError(`Prompt "${prompt.name}" has no label "${label}".`);
    await assertCanMoveLabel(tx, scope, label);
    await deps.labelPolicy.assertMayMove(tx, prompt, label);
    const after = await bumpRevision(tx, prompt.id);
    await moveLabelInTx(tx, changeBy(scope), after, label, null, { reason });
    emit('PROMPT_CHANGED', changeEvent(after, 'LABEL_MOVED', actorOf(scope.principal), { label }));
    return after;
  });
}

/**
 * Moves production to `versionId`, or (without one) to where it pointed before its last move.
 * A rollback is a label move (no content copy) recorded in the history with reason `rollback`.
 */
export async function rollback(
  deps: PromptDeps,
  scope: RequestScope,
  args: { promptName: string; versionId?: string | null; expectedRevision?: number | null; reason?: string | null },
): Promise<PromptRow> {
  assertCan(scope.principal, 'prompt:rollback');
  const label = 'production';
  const explicit = args.versionId != null ? assertUuid(args.versionId, 'versionId') : null;
  const reason = optionalText(args.reason, 'reason', 500);
  return changeInTransaction(deps, async (tx, emit) => {
    const prompt = await lockPrompt(tx, scope.principal.workspaceId, args.promptName, args.expectedRevision);
    let targetId = explicit;
    if (!targetId) {
      const [last] = await labelHistoryOf(tx, prompt.id, label, 1);
      if (!last?.fromVersionId) throw new BadInputError('versionId', `production of "${prompt.name}" has never moved: there is nothing to roll back to.`);
      targetId = last.fromVersionId;
    }
    const version = await versionOfPrompt(tx, prompt, targetId);
    const after = await bumpRevision(tx, prompt.id);
    await assertCanMoveLabel(tx, scope, label);
    const by = changeBy(scope);
    await moveLabelInTx(tx, by, after, label, version, { reason: reason ? `rollback: ${reason}` : 'rollback', action: 'prompt.rollback' });
    emit('PROMPT_CHANGED', changeEvent(after, 'ROLLED_BACK', by.actor, { versionId: version.id, label }));
    // The label's owner decides what a rollback does to it (a running A/B test ends: its traffic goes back to one version).
    await deps.labelPolicy.onRollback(tx, emit, by, after, label);
    return after;
  });
}

export async function listLabelHistory(
  deps: PromptDeps,
  promptId: string,
  label: string | null | undefined,
  first: number | null | undefined,
): Promise<LabelHistoryRow[]> {
  return labelHistoryOf(deps.db, promptId, label, assertPageSize(first));
}

/**
 * The version each of some prompts has at one label, in one query (MCP's prompt list reads production's
 * contracts). Prompts of another workspace have none, whatever ids are passed.
 */
export async function versionsAtLabel(deps: PromptDeps, scope: RequestScope, promptIds: string[], label: string): Promise<Map<string, VersionRow>> {
  assertCan(scope.principal, 'prompt:read');
  const found = await versionsAtLabelOf(deps.db, promptIds, label);
  for (const [id, v] of found) if (v.workspaceId !== scope.principal.workspaceId) found.delete(id);
  return found;
}
