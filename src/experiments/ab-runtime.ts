/**
 * The A/B parts that run per instance: which test covered a recorded call (the ingestion hook, from a
 * short-lived per-prompt cache), the automatic-promotion check (on results reads, and throttled after
 * calls are recorded), and running-test snapshots for the client library's bundles.
 */
import { SYSTEM_ACTOR } from '../auth/principal';
import type { ABTestRow } from '../db/schema';
import type { Logger } from '../logger';
import type { DerivedVariant, VariantContext } from '../metrics/variant';
import type { RunningTestSnapshot } from '../prompts/client-bundle';
import { createTtlCache } from '../shared/ttl-cache';
import { computeResults, type ABTestResults } from './ab-results';
import { concludeTest } from './ab-test-endings';
import { recentTestsOfPrompt, runningTestsOf, testById } from './ab-test-store';
import type { ExperimentDeps } from './deps';
import { assignVariant } from './pure';

/** Calls may be dated up to 7 days back (CallInput.at): tests ended within that window can still cover them. */
const COVER_WINDOW_MS = 8 * 24 * 3_600_000;
/** Who concludes a test automatically, in label history and audit. */
const AUTO_PROMOTION = { actor: SYSTEM_ACTOR, requestId: 'ab-auto-promotion' };
/** A test's decision is re-evaluated at most this often per instance while calls arrive. */
export const EVALUATE_AFTER_CALLS_MS = 1_000;
/** Bounds a cached test list; change events evict sooner (a start, ramp or stop raises a promptChanged). */
const COVERAGE_TTL_MS = 5_000;

const NONE: DerivedVariant = { abTestId: null, variant: null };

/**
 * The test covering a call: one whose variants include the call's version and that was running at the
 * call's time. With a request id the call counts only if that id is assigned to this version's variant
 * (a request resolved through another label is not part of the test); without one, by its version.
 */
export function coveringVariant(tests: readonly ABTestRow[], call: VariantContext): DerivedVariant {
  const at = call.at.getTime();
  for (const test of tests) {
    if (test.startedAt.getTime() > at || (test.endedAt && test.endedAt.getTime() <= at)) continue;
    const variant = test.variants.find((v) => v.versionId === call.versionId);
    if (!variant) continue;
    if (call.requestId != null && assignVariant(test.allocation, test.salt, call.requestId) !== variant.key) continue;
    return { abTestId: test.id, variant: variant.key };
  }
  return NONE;
}

export type ABRuntime = ReturnType<typeof createABRuntime>;

export function createABRuntime(deps: ExperimentDeps & { logger: Logger }) {
  const tests = createTtlCache<ABTestRow[]>({
    ttlMs: COVERAGE_TTL_MS,
    maxEntries: 10_000,
    load: async (promptId) => {
      const rows = await recentTestsOfPrompt(deps.db, promptId, new Date(Date.now() - COVER_WINDOW_MS));
      return rows.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    },
  });
  const pending = new Map<string, NodeJS.Timeout>();
  let stopped = false;

  /** Concludes the test when it is running, auto-promoting, and the rule says WINNER. Never throws. */
  async function evaluate(test: ABTestRow, results?: ABTestResults): Promise<ABTestRow | null> {
    if (test.status !== 'RUNNING' || !test.autoPromote) return null;
    try {
      const r = results ?? (await computeResults(deps.db, test));
      return r.decision === 'WINNER' ? await concludeTest(deps, test, r, AUTO_PROMOTION) : null;
    } catch (err) {
      deps.logger.warn({ abTestId: test.id, err: err instanceof Error ? err.message : String(err) }, 'A/B test evaluation failed');
      return null;
    }
  }

  /** Throttled: the first call of a quiet period schedules one check a moment later (after its batch commits). */
  function scheduleEvaluation(testId: string): void {
    if (stopped || pending.has(testId)) return;
    const timer = setTimeout(() => {
      pending.delete(testId);
      void (async () => {
        const test = await testById(deps.db, testId);
        if (test) await evaluate(test);
      })().catch((err) => deps.logger.warn({ abTestId: testId, err: err instanceof Error ? err.message : String(err) }, 'A/B test evaluation failed'));
    }, EVALUATE_AFTER_CALLS_MS);
    timer.unref();
    pending.set(testId, timer);
  }

  /** The ingestion hook (metrics/variant.ts): synchronous when the prompt's tests are cached. */
  function deriveVariant(call: VariantContext): DerivedVariant | Promise<DerivedVariant> {
    const done = (list: ABTestRow[]) => {
      const derived = coveringVariant(list, call);
      if (derived.abTestId) scheduleEvaluation(derived.abTestId);
      return derived;
    };
    const cached = tests.peek(call.promptId);
    return cached ? done(cached) : tests.get(call.promptId).then(done);
  }

  /** Running tests of some prompts, as the client library needs them to assign locally. */
  async function runningSnapshots(workspaceId: string, promptIds: string[]): Promise<RunningTestSnapshot[]> {
    const rows = await runningTestsOf(deps.db, promptIds, { workspaceId });
    return rows.map((t) => ({
      id: t.id,
      promptId: t.promptId,
      label: t.label,
      salt: t.salt,
      allocation: t.allocation,
      variants: t.variants.map(({ key, versionId }) => ({ key, versionId })),
    }));
  }

  return {
    deriveVariant,
    evaluate,
    runningSnapshots,
    evictPrompt: (promptId: string) => tests.evict(promptId),
    clear: () => tests.clear(),
    stop() {
      stopped = true;
      for (const t of pending.values()) clearTimeout(t);
      pending.clear();
    },
  };
}
