/**
 * A/B test lifecycle: start, ramp (updateABTest), stop by hand (optionally promoting a variant). Each
 * change locks the prompt, raises its revision, writes an audit row in the same transaction, and after
 * commit publishes `promptChanged` (caches evict) and `abTestUpdated`.
 */
import { randomBytes } from 'node:crypto';
import { assertCan } from '../auth/permissions';
import { actorOf } from '../auth/principal';
import { writeAudit } from '../audit/audit-log';
import type { Executor } from '../db/client';
import type { ABTestRow, PromptRow, VersionRow } from '../db/schema';
import { BadInputError, ConflictError, NotFoundError } from '../errors';
import { changeEvent } from '../prompts/events';
import { assertCanMoveLabel, changeBy, moveLabelInTx } from '../prompts/label-moves';
import { bumpRevision, findPromptById, lockPrompt } from '../prompts/prompt-store';
import { findVersion } from '../prompts/version-store';
import type { RequestScope } from '../shared/request-scope';
import { changeInTransaction } from '../shared/unit-of-work';
import { assertIntRange, assertLabelName, assertPromptName, assertUuid } from '../shared/validate';
import { findTest, insertTest, runningTests, updateTest } from './ab-test-store';
import type { ExperimentDeps } from './deps';
import { testUpdatedEvent } from './label-policy';
import { initialAllocation, rebalance, type Metric, validateWeights, type VariantWeightInput } from './pure';
import { LATEST_LABEL } from '../shared/labels';

export const METRICS: readonly Metric[] = ['QUALITY_SCORE', 'SUCCESS_RATE', 'LATENCY', 'COST'];

export type StartABTestInput = {
  promptName: string;
  variants?: VariantWeightInput[] | null;
  versionA?: string | null;
  versionB?: string | null;
  trafficSplit?: number | null;
  label?: string | null;
  metric?: Metric | null;
  minSampleSize?: number | null;
  autoPromote?: boolean | null;
  expectedRevision?: number | null;
};

/** The variants of either input form, each with the field path of its version id. */
function variantsOf(input: StartABTestInput): { variants: VariantWeightInput[]; idField: (i: number) => string } {
  const short = input.versionA != null || input.versionB != null || input.trafficSplit != null;
  if (input.variants != null) {
    if (short) throw new BadInputError('input', 'Give either `variants` or `versionA`/`versionB`/`trafficSplit`, not both.');
    return { variants: input.variants, idField: (i) => `input.variants.${i}.versionId` };
  }
  if (input.versionA == null) throw new BadInputError('input.versionA', 'Give `variants`, or `versionA` and `versionB`.');
  if (input.versionB == null) throw new BadInputError('input.versionB', 'Give `versionB` with `versionA`.');
  const split = assertIntRange(input.trafficSplit ?? 50, 'input.trafficSplit', 1, 99);
  return {
    variants: [
      { versionId: input.versionA, weight: 100 - split },
      { versionId: input.versionB, weight: split },
    ],
    idField: (i) => (i === 0 ? 'input.versionA' : 'input.versionB'),
  };
}

/** The variant versions: each must be a version of `prompt` (another workspace's version is simply missing). */
async function variantVersions(tx: Executor, prompt: PromptRow, ids: readonly string[], idField: (i: number) => string): Promise<VersionRow[]> {
  const out: VersionRow[] = [];
  for (const [i, id] of ids.entries()) {
    const version = await findVersion(tx, prompt.workspaceId, id);
    if (!version) throw new BadInputError(idField(i), `No version with id "${id}".`);
    if (version.promptId !== prompt.id) throw new BadInputError(idField(i), `Version "${id}" is not a version of "${prompt.name}".`);
    out.push(version);
  }
  return out;
}

export async function startABTest(deps: ExperimentDeps, scope: RequestScope, input: StartABTestInput): Promise<ABTestRow> {
  assertCan(scope.principal, 'abtest:manage');
  const promptName = assertPromptName(input.promptName, 'input.promptName');
  const label = assertLabelName(input.label ?? 'production', 'input.label');
  if (label === LATEST_LABEL) throw new BadInputError('input.label', '"latest" always means the newest version; test on a label you can move.');
  const metric = input.metric ?? 'QUALITY_SCORE';
  if (!METRICS.includes(metric)) throw new BadInputError('input.metric', `metric is one of ${METRICS.join(', ')}.`);
  const minSampleSize = assertIntRange(input.minSampleSize ?? 100, 'input.minSampleSize', 2, 10_000_000);
  const { variants, idField } = variantsOf(input);
  const ids = variants.map((v, i) => assertUuid(String(v.versionId), idField(i)));
  let keyed;
  try {
    keyed = validateWeights(variants.map((v, i) => ({ versionId: ids[i]!, weight: v.weight })));
  } catch (err) {
    if (!(err instanceof BadInputError)) throw err;
    // The short form can only fail here by naming the same version twice.
    throw input.variants != null ? err.withFieldPrefix('input') : new BadInputError('input.versionB', err.message);
  }

  return changeInTransaction(deps, async (tx, emit) => {
    const prompt = await lockPrompt(tx, scope.principal.workspaceId, promptName, input.expectedRevision);
    if (prompt.archivedAt) throw new BadInputError('input.promptName', `Prompt "${prompt.name}" is archived.`);
    // The test will move this label (promotion): only someone who may move it may start one.
    await assertCanMoveLabel(tx, scope, label);
    await variantVersions(tx, prompt, ids, idField);
    const [running] = await runningTests(tx, prompt.id, label);
    if (running) throw new ConflictError(`A/B test ${running.id} is already running on "${prompt.name}@${label}"; stop it first.`, { abTestId: running.id });
    const after = await bumpRevision(tx, prompt.id);
    const actor = actorOf(scope.principal);
    const weights = keyed.map((v) => v.weight);
    // The partial unique index backs the check above (the prompt lock already serializes starters): insertTest maps it.
    const row = await insertTest(
      tx,
      {
        workspaceId: prompt.workspaceId,
        promptId: prompt.id,
        label,
        status: 'RUNNING',
        variants: keyed.map(({ key, versionId, weight }) => ({ key, versionId, weight })),
        allocation: initialAllocation(keyed),
        weightHistory: [{ at: new Date().toISOString(), weights }],
        salt: randomBytes(16).toString('hex'),
        metric,
        minSampleSize,
        autoPromote: input.autoPromote ?? true,
        createdById: actor.id,
        createdByName: actor.name,
      },
      prompt.name,
    );
    await writeAudit(tx, {
      workspaceId: prompt.workspaceId,
      action: 'abtest.start',
      actor,
      targetType: 'abtest',
      targetId: row.id,
      target: `${prompt.name}@${label}`,
      after: { variants: row.variants, metric, minSampleSize, autoPromote: row.autoPromote },
      requestId: scope.requestId,
    });
    emit('PROMPT_CHANGED', changeEvent(after, 'AB_TEST_STARTED', actor, { label }));
    emit('AB_TEST_UPDATED', testUpdatedEvent(row, after.name));
    return row;
  });
}

/** Locks the test's prompt, then the test, and checks it is still running. */
async function lockRunningTest(
  tx: Executor,
  scope: RequestScope,
  id: string,
  expectedRevision?: number | null,
): Promise<{ prompt: PromptRow; test: ABTestRow }> {
  const found = await findTest(tx, scope.principal.workspaceId, id);
  if (!found) throw new NotFoundError('No A/B test with this id.');
  const { name } = (await findPromptById(tx, scope.principal.workspaceId, found.promptId))!;
  const prompt = await lockPrompt(tx, scope.principal.workspaceId, name, expectedRevision);
  const test = (await findTest(tx, scope.principal.workspaceId, id, true))!;
  if (test.status !== 'RUNNING') throw new ConflictError(`A/B test ${test.id} has already ended (${test.status}).`);
  return { prompt, test };
}

/**
 * Ramp the weights of a running test. Every variant is listed once (any order) by version id; a weight may drop to 0.
 * Buckets move by `rebalance`: a variant whose share grows keeps every subject it had.
 */
export async function updateABTest(
  deps: ExperimentDeps,
  scope: RequestScope,
  args: { id: string; variants: VariantWeightInput[]; expectedRevision?: number | null },
): Promise<ABTestRow> {
  assertCan(scope.principal, 'abtest:manage');
  const ids = args.variants.map((v, i) => assertUuid(String(v.versionId), `variants.${i}.versionId`));
  validateWeights(
    args.variants.map((v, i) => ({ versionId: ids[i]!, weight: v.weight })),
    { ramp: true },
  );
  return changeInTransaction(deps, async (tx, emit) => {
    const { prompt, test } = await lockRunningTest(tx, scope, args.id, args.expectedRevision);
    await assertCanMoveLabel(tx, scope, test.label);
    if (ids.length !== test.variants.length) throw new BadInputError('variants', `List each of the test's ${test.variants.length} variants once.`);
    const weightOf = new Map<string, number>();
    ids.forEach((id, i) => {
      const variant = test.variants.find((v) => v.versionId === id);
      if (!variant) throw new BadInputError(`variants.${i}.versionId`, `Version "${id}" is not a variant of this test.`);
      weightOf.set(variant.key, args.variants[i]!.weight);
    });
    const newWeights = test.variants.map((v) => ({ key: v.key, weight: weightOf.get(v.key)! }));
    const allocation = rebalance(test.allocation, newWeights);
    const after = await bumpRevision(tx, prompt.id);
    const row = (await updateTest(tx, test.id, {
      variants: test.variants.map((v) => ({ ...v, weight: weightOf.get(v.key)! })),
      allocation,
      weightHistory: [...test.weightHistory, { at: new Date().toISOString(), weights: newWeights.map((w) => w.weight) }],
    }))!;
    const actor = actorOf(scope.principal);
    await writeAudit(tx, {
      workspaceId: prompt.workspaceId,
      action: 'abtest.ramp',
      actor,
      targetType: 'abtest',
      targetId: test.id,
      target: `${prompt.name}@${test.label}`,
      before: { weights: test.variants.map((v) => ({ key: v.key, weight: v.weight })) },
      after: { weights: newWeights },
      requestId: scope.requestId,
    });
    // The schema's AB_TEST_STARTED means "started or ramped": resolution changes either way.
    emit('PROMPT_CHANGED', changeEvent(after, 'AB_TEST_STARTED', actor, { label: test.label }));
    emit('AB_TEST_UPDATED', testUpdatedEvent(row, prompt.name));
    return row;
  });
}

/** Stop by hand; with `promoteVersionId` (one of the variants' versions) the label moves to it in the same transaction. */
export async function stopABTest(deps: ExperimentDeps, scope: RequestScope, args: { id: string; promoteVersionId?: string | null }): Promise<ABTestRow> {
  assertCan(scope.principal, 'abtest:manage');
  const promoteId = args.promoteVersionId == null ? null : assertUuid(args.promoteVersionId, 'promoteVersionId');
  return changeInTransaction(deps, async (tx, emit) => {
    const { prompt, test } = await lockRunningTest(tx, scope, args.id);
    const promoted = promoteId ? test.variants.find((v) => v.versionId === promoteId) : undefined;
    if (promoteId && !promoted) throw new BadInputError('promoteVersionId', 'promoteVersionId must be the version of one of the test’s variants.');
    const after = await bumpRevision(tx, prompt.id);
    const actor = actorOf(scope.principal);
    const row = (await updateTest(tx, test.id, {
      status: 'STOPPED',
      endedAt: new Date(),
      winnerKey: promoted?.key ?? null,
      decision: { reason: promoted ? `stopped by ${actor.name}, promoting variant ${promoted.key}` : `stopped by ${actor.name}` },
    }))!;
    if (promoted) {
      const version = (await findVersion(tx, prompt.workspaceId, promoted.versionId))!;
      await assertCanMoveLabel(tx, scope, test.label);
      await moveLabelInTx(tx, changeBy(scope), after, test.label, version, {
        reason: `A/B test ${test.id} stopped by hand: variant ${promoted.key} (v${version.number}) promoted`,
        action: 'abtest.promote',
      });
    }
    await writeAudit(tx, {
      workspaceId: prompt.workspaceId,
      action: 'abtest.stop',
      actor,
      targetType: 'abtest',
      targetId: test.id,
      target: `${prompt.name}@${test.label}`,
      after: { status: 'STOPPED', promoted: promoted ?? null },
      requestId: scope.requestId,
    });
    emit('PROMPT_CHANGED', changeEvent(after, 'AB_TEST_STOPPED', actor, { label: test.label, versionId: promoted?.versionId ?? null }));
    emit('AB_TEST_UPDATED', testUpdatedEvent(row, prompt.name));
    return row;
  });
}
