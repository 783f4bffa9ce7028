/**
 * ABTest.results: per-variant metrics from the hourly rollups tagged with the test (ingestion derives
 * abTestId/variant), the comparisons to the control and the decision (decide() in decision.ts).
 */
import type { Executor } from '../db/client';
import type { ABTestRow, MetricRollupRow } from '../db/schema';
import { rollupsOfTest } from '../metrics/rollup-store';
import { decimalToNano, nanoToDecimal } from '../metrics/cost';
import { summarize, type VersionMetrics } from '../metrics/summarize';
import { expectedShares } from './expected-shares';
import { decide, summaryFromSums, type Decision, type VariantStatistics } from './pure';

export type ABVariantResult = {
  key: string;
  versionId: string;
  weight: number;
  isControl: boolean;
  metrics: VersionMetrics;
  difference: number | null;
  confidenceInterval: [number, number] | null;
  pValue: number | null;
  alwaysValidPValue: number | null;
};

export type ABTestResults = {
  variants: ABVariantResult[];
  decision: Decision['decision'];
  winnerKey: string | null;
  srmPValue: number | null;
  method: string;
  raw: Decision;
};

export const METHOD =
  'Sequential test (mSPRT, normal mixture): its always-valid p-value stays valid however often results are read. ' +
  'Each challenger is compared with the control (variant A); alpha 0.05 is split over the challengers (Bonferroni). ' +
  'SAMPLE_RATIO_MISMATCH when the traffic split differs from the weights (chi-square p < 0.001): nothing is decided. ' +
  'KEEP_RUNNING until every variant has minSampleSize observations of the metric. ' +
  'WINNER: the challenger with the largest improvement among those significantly better than the control, or the control when every challenger is significantly worse. ' +
  'NO_DIFFERENCE: every variant reached 10 x minSampleSize without a winner. ' +
  'Higher is better for QUALITY_SCORE and SUCCESS_RATE, lower for LATENCY and COST. ' +
  'pValue and confidenceInterval are the classical fixed-sample values (Welch t-test; two-proportion z-test for SUCCESS_RATE), for information only.';

const finite = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

type Sums = {
  calls: number;
  successes: number;
  latencySum: number;
  latencySqSum: number;
  inputTokens: number;
  outputTokens: number;
  tokensSum: number;
  tokensCalls: number;
  qualityCount: number;
  qualitySum: number;
  qualitySqSum: number;
  costCalls: number;
  costSum: number;
  costSqSum: number;
  costNano: bigint;
  hists: Record<string, number>[];
};

function emptySums(): Sums {
  return {
    calls: 0,
    successes: 0,
    latencySum: 0,
    latencySqSum: 0,
    inputTokens: 0,
    outputTokens: 0,
    tokensSum: 0,
    tokensCalls: 0,
    qualityCount: 0,
    qualitySum: 0,
    qualitySqSum: 0,
    costCalls: 0,
    costSum: 0,
    costSqSum: 0,
    costNano: 0n,
    hists: [],
  };
}

function add(s: Sums, r: MetricRollupRow): void {
  s.calls += r.calls;
  s.successes += r.successes;
  s.latencySum += r.latencySum;
  s.latencySqSum += r.latencySqSum;
  s.inputTokens += r.inputTokens;
  s.outputTokens += r.outputTokens;
  s.tokensSum += r.tokensSum;
  s.tokensCalls += r.tokensCalls;
  s.qualityCount += r.qualityCount;
  s.qualitySum += r.qualitySum;
  s.qualitySqSum += r.qualitySqSum;
  s.costCalls += r.costCalls;
  s.costSum += Number(r.costSum);
  s.costSqSum += Number(r.costSqSum);
  s.costNano += decimalToNano(String(r.costSum));
  s.hists.push(r.latencyHist);
}

/** The metric's summary for the decision rule. */
function statisticsOf(test: ABTestRow, key: string, weight: number, s: Sums): VariantStatistics {
  switch (test.metric) {
    case 'SUCCESS_RATE':
      return { key, weight, n: s.calls, mean: s.calls > 0 ? s.successes / s.calls : NaN, variance: NaN, successes: s.successes };
    case 'LATENCY':
      return { key, weight, ...summaryFromSums(s.calls, s.latencySum, s.latencySqSum) };
    case 'COST':
      return { key, weight, ...summaryFromSums(s.costCalls, s.costSum, s.costSqSum) };
    default:
      return { key, weight, ...summaryFromSums(s.qualityCount, s.qualitySum, s.qualitySqSum) };
  }
}

export async function computeResults(db: Executor, test: ABTestRow): Promise<ABTestResults> {
  const rows = await rollupsOfTest(db, test.workspaceId, test.id);
  const sums = new Map(test.variants.map((v) => [v.key, emptySums()]));
  const callsPerHour = new Map<number, Map<string, number>>();
  for (const r of rows) {
    const s = r.variant ? sums.get(r.variant) : undefined;
    if (!s) continue;
    add(s, r);
    const hour = r.hour.getTime();
    const perVariant = callsPerHour.get(hour) ?? new Map<string, number>();
    perVariant.set(r.variant!, (perVariant.get(r.variant!) ?? 0) + r.calls);
    callsPerHour.set(hour, perVariant);
  }
  // The SRM check expects each variant's share of the traffic under the weights in force when it came (ramps).
  const shares = expectedShares(
    test.weightHistory,
    test.endedAt,
    [...callsPerHour].map(([hour, m]) => ({ hour, calls: [...m.values()].reduce((a, b) => a + b, 0) })),
    test.variants.length,
  );
  const stats = test.variants.map((v, i) => statisticsOf(test, v.key, shares[i]!, sums.get(v.key)!));
  const raw = decide({ metric: test.metric, variants: stats, minSampleSize: test.minSampleSize });
  const variants = test.variants.map((v, i): ABVariantResult => {
    const s = sums.get(v.key)!;
    const c = i === 0 ? undefined : raw.comparisons[i - 1];
    const ci = c && finite(c.confidenceInterval[0]) !== null && finite(c.confidenceInterval[1]) !== null ? c.confidenceInterval : null;
    return {
      key: v.key,
      versionId: v.versionId,
      weight: v.weight,
      isControl: i === 0,
      metrics: summarize({
        calls: s.calls,
        successes: s.successes,
        latency_sum: s.latencySum,
        input_tokens: s.inputTokens,
        output_tokens: s.outputTokens,
        tokens_sum: s.tokensSum,
        tokens_calls: s.tokensCalls,
        quality_count: s.qualityCount,
        quality_sum: s.qualitySum,
        cost_calls: s.costCalls,
        cost_sum: nanoToDecimal(s.costNano),
        hists: s.hists,
      }),
      difference: finite(c?.difference),
      confidenceInterval: ci,
      pValue: finite(c?.pValue),
      alwaysValidPValue: finite(c?.alwaysValidPValue),
    };
  });
  return { variants, decision: raw.decision, winnerKey: raw.winnerKey ?? null, srmPValue: finite(raw.srmPValue), method: METHOD, raw };
}
