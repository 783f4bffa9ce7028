/**
 * How running tests end other than by hand: concluded by the decision rule (automatic promotion, one
 * transaction with the label move), ended by a rollback of their label, and guarded against setLabel.
 */
import { and, eq } from 'drizzle-orm';
import { SYSTEM_ACTOR, actorOf, type Actor } from '../auth/principal';
import { writeAudit } from '../audit/audit-log';
import type { Executor } from '../db/client';
import { abTests, prompts, type ABTestRow, type PromptRow } from '../db/schema';
import { ConflictError } from '../errors';
import { changeEvent } from '../prompts/events';
import { moveLabelInTx } from '../prompts/label-moves';
import { bumpRevision, findVersion, lockPrompt } from '../prompts/prompt-store';
import type { PromptChangedPayload } from '../pubsub/topics';
import type { RequestScope } from '../shared/request-scope';
import type { ABTestResults } from './ab-results';
import { findTest, runningTests } from './ab-test-store';
import { publishTestChange } from './ab-test-service';
import type { ExperimentDeps } from './deps';

/** setLabel/removeLabel on a label under test: refused, because the test decides where that label goes. */
export async function assertNoRunningTest(tx: Executor, prompt: PromptRow, label: string): Promise<void> {
  const [running] = await runningTests(tx, prompt.id, label);
  if (running) {
    throw new ConflictError(
      `A/B test ${running.id} is running on "${prompt.name}@${label}": stop it (stopABTest, optionally promoting a variant) or roll back before moving the label.`,
      { abTestId: running.id },
    );
  }
}

/** Ends the running test on `label` inside the caller's transaction (rollback). Returns it for publishing after commit. */
export async function endTestOnLabelInTx(tx: Executor, scope: RequestScope, prompt: PromptRow, label: string, reason: string): Promise<ABTestRow | null> {
  const [running] = await runningTests(tx, prompt.id, label);
  if (!running) return null;
  const [row] = (await tx
    .update(abTests)
    .set({ status: 'STOPPED', endedAt: new Date(), decision: { reason } })
    .where(eq(abTests.id, running.id))
    .returning()) as [ABTestRow];
  await writeAudit(tx, {
    workspaceId: prompt.workspaceId,
    action: 'abtest.stop',
    actor: actorOf(scope.principal),
    targetType: 'abtest',
    targetId: running.id,
    target: `${prompt.name}@${label}`,
    after: { status: 'STOPPED', reason },
    requestId: scope.requestId,
  });
  return row;
}

/** The principal-less scope of automatic promotion: the move was authorized when the test started. */
function systemScope(workspaceId: string): RequestScope {
  return { principal: { id: SYSTEM_ACTOR.name, name: SYSTEM_ACTOR.name, workspaceId, role: null, scopes: [], isInstanceAdmin: false }, requestId: 'ab-auto-promotion' };
}

const fmt = (x: number | null) => (x === null ? 'n/a' : Number(x.toPrecision(4)).toString());

/**
 * Concludes a running test whose decision is WINNER, in ONE transaction: status CONCLUDED, the label
 * moved to the winner with a history entry saying why, the revision raised, an audit row. A test that
 * ended meanwhile (another instance concluded it, someone stopped it) is left alone: returns null.
 */
export async function concludeTest(deps: ExperimentDeps, test: ABTestRow, results: ABTestResults, actor: Actor = SYSTEM_ACTOR): Promise<ABTestRow | null> {
  if (results.decision !== 'WINNER' || !results.winnerKey) return null;
  const winner = test.variants.find((v) => v.key === results.winnerKey)!;
  const shown = results.variants.find((v) => v.key === (winner.key === test.variants[0]!.key ? test.variants[1]!.key : winner.key))!;
  const scope = systemScope(test.workspaceId);
  let event: PromptChangedPayload | null = null;
  let promptName = '';
  const concluded = await deps.db.transaction(async (tx) => {
    const [{ name }] = (await tx.select({ name: prompts.name }).from(prompts).where(eq(prompts.id, test.promptId))) as [{ name: string }];
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
    const [row] = (await tx
      .update(abTests)
      .set({ status: 'CONCLUDED', endedAt: new Date(), winnerKey: winner.key, decision })
      .where(and(eq(abTests.id, test.id), eq(abTests.status, 'RUNNING')))
      .returning()) as [ABTestRow];
    const version = (await findVersion(tx, test.workspaceId, winner.versionId))!;
    const reason =
      `A/B test ${test.id} concluded: variant ${winner.key} (v${version.number}) wins on ${test.metric}; ` +
      `difference ${shown.key} − A = ${fmt(shown.difference)}, p = ${fmt(shown.pValue)}, always-valid p = ${fmt(shown.alwaysValidPValue)}`;
    await moveLabelInTx(tx, scope, after, test.label, version, { reason, skipPermission: true, action: 'abtest.promote', actor });
    await writeAudit(tx, { workspaceId: test.workspaceId, action: 'abtest.conclude', actor, targetType: 'abtest', targetId: test.id, target: `${prompt.name}@${test.label}`, after: decision, requestId: scope.requestId });
    event = changeEvent(after, 'AB_TEST_CONCLUDED', actor, { label: test.label, versionId: version.id });
    promptName = prompt.name;
    return row;
  });
  if (concluded) await publishTestChange(deps, event, concluded, promptName);
  return concluded;
}
