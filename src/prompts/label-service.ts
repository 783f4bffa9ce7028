/** Labels: set, remove, roll back `production`, and read the label history. */
import { and, desc, eq } from 'drizzle-orm';
import { assertCan } from '../auth/permissions';
import { actorOf } from '../auth/principal';
import { labelHistory, type LabelHistoryRow, type PromptRow } from '../db/schema';
import { BadInputError, NotFoundError } from '../errors';
import type { RequestScope } from '../shared/request-scope';
import { assertPageSize } from '../shared/pagination';
import { assertLabelName, assertUuid, optionalText } from '../shared/validate';
import type { PromptDeps } from './deps';
import { changeEvent, changeInTransaction } from './events';
import { assertCanMoveLabel, currentLabelTarget, moveLabelInTx } from './label-moves';
import { bumpRevision, lockPrompt, versionOfPrompt } from './prompt-store';
import { assertNoRunningTest, endTestOnLabelInTx } from '../experiments/ab-test-endings';
import { publishTestChange } from '../experiments/ab-test-service';
import type { ABTestRow } from '../db/schema';

export async function setLabel(
  deps: PromptDeps,
  scope: RequestScope,
  args: { promptName: string; label: string; versionId: string; expectedRevision?: number | null; reason?: string | null },
): Promise<PromptRow> {
  assertCan(scope.principal, 'label:move');
  const label = assertLabelName(args.label, 'label');
  if (label === 'latest') throw new BadInputError('label', '"latest" always means the newest version and cannot be set.');
  const versionId = assertUuid(args.versionId, 'versionId');
  const reason = optionalText(args.reason, 'reason', 500);
  return changeInTransaction(deps, async (tx, emit) => {
    const prompt = await lockPrompt(tx, scope.principal.workspaceId, args.promptName, args.expectedRevision);
    const version = await versionOfPrompt(tx, prompt, versionId);
    // A/B: the running test on this label decides where it goes; moving it by hand is a CONFLICT (for those who may move it).
    await assertCanMoveLabel(tx, scope, label);
    await assertNoRunningTest(tx, prompt, label);
    if ((await currentLabelTarget(tx, prompt.id, label)) === version.id) return prompt; // idempotent: already there, nothing changes
    const after = await bumpRevision(tx, prompt.id);
    await moveLabelInTx(tx, scope, after, label, version, { reason, skipPermission: true });
    emit(changeEvent(after, 'LABEL_MOVED', actorOf(scope.principal), { versionId: version.id, label }));
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
    await assertNoRunningTest(tx, prompt, label);
    const after = await bumpRevision(tx, prompt.id);
    await moveLabelInTx(tx, scope, after, label, null, { reason, skipPermission: true });
    emit(changeEvent(after, 'LABEL_MOVED', actorOf(scope.principal), { label }));
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
  let endedTest: ABTestRow | null = null;
  const result = await changeInTransaction(deps, async (tx, emit) => {
    const prompt = await lockPrompt(tx, scope.principal.workspaceId, args.promptName, args.expectedRevision);
    let targetId = explicit;
    if (!targetId) {
      const [last] = await tx
        .select()
        .from(labelHistory)
        .where(and(eq(labelHistory.promptId, prompt.id), eq(labelHistory.label, label)))
        .orderBy(desc(labelHistory.seq))
        .limit(1);
      if (!last?.fromVersionId) throw new BadInputError('versionId', `production of "${prompt.name}" has never moved: there is nothing to roll back to.`);
      targetId = last.fromVersionId;
    }
    const version = await versionOfPrompt(tx, prompt, targetId);
    const after = await bumpRevision(tx, prompt.id);
    await moveLabelInTx(tx, scope, after, label, version, { reason: reason ? `rollback: ${reason}` : 'rollback', action: 'prompt.rollback' });
    // A/B: a rollback ends the running test on production (its traffic goes back to one version).
    endedTest = await endTestOnLabelInTx(tx, scope, after, label, 'ended by a rollback');
    emit(changeEvent(after, 'ROLLED_BACK', actorOf(scope.principal), { versionId: version.id, label }));
    return after;
  });
  if (endedTest && deps.bus) await publishTestChange({ ...deps, bus: deps.bus }, null, endedTest, result.name);
  return result;
}

export async function listLabelHistory(deps: PromptDeps, promptId: string, label: string | null | undefined, first: number | null | undefined): Promise<LabelHistoryRow[]> {
  const limit = assertPageSize(first);
  const where = label ? and(eq(labelHistory.promptId, promptId), eq(labelHistory.label, label)) : eq(labelHistory.promptId, promptId);
  return deps.db.select().from(labelHistory).where(where).orderBy(desc(labelHistory.seq)).limit(limit);
}
