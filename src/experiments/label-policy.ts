/**
 * The prompts domain's label policy, implemented by A/B tests: a label under a running test belongs
 * to the test (a move by hand is a CONFLICT), a rollback of it ends the test, and resolution serves
 * the test's variants on it. Wired into the prompt services and the resolution cache by app.ts.
 */
import { writeAudit } from '../audit/audit-log';
import type { Executor } from '../db/client';
import type { ABTestRow, PromptRow } from '../db/schema';
import { ConflictError } from '../errors';
import type { LabelPolicy, LabelTest } from '../prompts/label-policy';
import type { ABTestUpdatedPayload } from '../pubsub/topics';
import { runningTests, updateTest, versionsOf } from './ab-test-store';
import { assignVariant } from './pure';

/** The `abTestUpdated` event of a test change (published after commit by the unit of work). */
export function testUpdatedEvent(test: ABTestRow, promptName: string): ABTestUpdatedPayload {
  return { workspaceId: test.workspaceId, promptId: test.promptId, promptName, abTestId: test.id, at: new Date().toISOString() };
}

/** setLabel/removeLabel/createVersion on a label under test: refused, because the test decides where that label goes. */
async function assertNoRunningTest(tx: Executor, prompt: PromptRow, label: string): Promise<void> {
  const [running] = await runningTests(tx, prompt.id, label);
  if (running) {
    throw new ConflictError(
      `A/B test ${running.id} is running on "${prompt.name}@${label}": stop it (stopABTest, optionally promoting a variant) or roll back before moving the label.`,
      { abTestId: running.id },
    );
  }
}

export const testLabelPolicy: LabelPolicy = {
  assertMayMove: assertNoRunningTest,

  /** A rollback ends the running test on its label, in the rollback's transaction. */
  async onRollback(tx, emit, by, prompt, label) {
    const [running] = await runningTests(tx, prompt.id, label);
    if (!running) return;
    const reason = 'ended by a rollback';
    const row = (await updateTest(tx, running.id, { status: 'STOPPED', endedAt: new Date(), decision: { reason } }))!;
    await writeAudit(tx, {
      workspaceId: prompt.workspaceId,
      action: 'abtest.stop',
      actor: by.actor,
      targetType: 'abtest',
      targetId: running.id,
      target: `${prompt.name}@${label}`,
      after: { status: 'STOPPED', reason },
      requestId: by.requestId,
    });
    emit('AB_TEST_UPDATED', testUpdatedEvent(row, prompt.name));
  },

  /** The running tests of a prompt by label, each assigning requests to variants without I/O. */
  async testsOn(exec, promptId) {
    const running = await runningTests(exec, promptId);
    const versions = await versionsOf(exec, running);
    return new Map(
      running.map((t): [string, LabelTest] => [
        t.label,
        {
          id: t.id,
          assign: (requestId) => assignVariant(t.allocation, t.salt, requestId),
          versions: new Map(t.variants.map((v) => [v.key, versions.get(v.versionId)!])),
        },
      ]),
    );
  },
};
