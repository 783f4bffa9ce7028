/**
 * How a running test ends by its decision rule: concluded (automatic promotion), in one unit of work
 * with the label move. (A rollback of its label ends it too: see label-policy.ts.)
 */
import { writeAudit } from '../audit/audit-log';
import type { ABTestRow } from '../db/schema';
import { changeEvent } from '../prompts/events';
import { moveLabelInTx } from '../prompts/label-moves';
import type { ChangeBy } from '../prompts/label-policy';
import { bumpRevision, findPromptById, lockPrompt } from '../prompts/prompt-store';
import { findVersion } from '../prompts/version-store';
import { changeInTransaction } from '../shared/unit-of-work';
import type { ABTestResults } from './ab-results';
import { findTest, updateTest } from './ab-test-store';
import type { ExperimentDeps } from './deps';
import { testUpdatedEvent } from './label-policy';

const fmt = (x: number | null) => (x === null ? 'n/a' : Number(x.toPrecision(4)).toString());

/**
 * Concludes a running test whose decision is WINNER, in ONE transaction: status CONCLUDED, the label
 * moved to the winner with a history entry saying why, the revision raised, an audit row. A test that
 * ended meanwhile (another instance concluded it, someone stopped it) is left alone: returns null.
 */
export async function concludeTest(deps: ExperimentDeps, test: ABTestRow, results: ABTestResults, by: ChangeBy): Promise<ABTestRow | null> {
  if (results.decision !== 'WINNER' || !results.winnerKey) return null;
  const winner = test.variants.find((v) => v.key === results.winnerKey)!;
  const shown = results.variants.find((v) => v.key === (winner.key === test.variants[0]!.key ? test.variants[1]!.key : winner.key))!;
  const { actor } = by;
  return changeInTransaction(deps, async (tx, emit) => {
    const { name } = (await findPromptById(tx, test.workspaceId, test.promptId))!;
    const prompt = await lockPrompt(tx, test.workspaceId, name);
    const current = await findTest(tx, test.workspaceId, test.id, true);
    if (current?.status !== 'RUNNING') return null;
    const after = await bumpRevision(tx, prompt.id);
    const decision = {
      decision: 'WINNER',
      winnerKey: winner.key,
      metric: test.metric,
      difference: shown.difference,
      pValue: shown.pValue,
      alwaysValidPValue: shown.alwaysValidPValue,
      srmPValue: results.srmPValue,
      at: new Date().toISOString(),
    };
    const row = (await updateTest(tx, test.id, { status: 'CONCLUDED', endedAt: new Date(), winnerKey: winner.key, decision }, { onlyIfRunning: true }))!;
    const version = (await findVersion(tx, test.workspaceId, winner.versionId))!;
    const reason =
      `A/B test ${test.id} concluded: variant ${winner.key} (v${version.number}) wins on ${test.metric}; ` +
      `difference ${shown.key} − A = ${fmt(shown.difference)}, p = ${fmt(shown.pValue)}, always-valid p = ${fmt(shown.alwaysValidPValue)}`;
    // The move was authorized when the test started (startABTest needs the right to move the label).
    await moveLabelInTx(tx, by, after, test.label, version, { reason, action: 'abtest.promote' });
    await writeAudit(tx, {
      workspaceId: test.workspaceId,
      action: 'abtest.conclude',
      actor,
      targetType: 'abtest',
      targetId: test.id,
      target: `${prompt.name}@${test.label}`,
      after: decision,
      requestId: by.requestId,
    });
    emit('PROMPT_CHANGED', changeEvent(after, 'AB_TEST_CONCLUDED', actor, { label: test.label, versionId: version.id }));
    emit('AB_TEST_UPDATED', testUpdatedEvent(row, prompt.name));
    return row;
  });
}
