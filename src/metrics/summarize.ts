/**
 * From summed rollup columns to the contract's VersionMetrics / MetricsRow numbers. Pure. Averages
 * are over the calls that reported the quantity: avgTokensUsed over calls with tokens, costPerCall
 * over calls with a known cost, qualityScore over every score given (on calls and by feedback).
 */
import { decimalToNano, nanoToUsd } from './cost';
import { mergeHistograms, quantiles, type Histogram } from './latency-sketch';

/** Sums of rollup rows, as Postgres returns them (bigint/numeric may arrive as strings). */
export type RollupSums = {
  calls: number | string | null;
  successes: number | string | null;
  latency_sum: number | string | null;
  input_tokens: number | string | null;
  output_tokens: number | string | null;
  tokens_sum: number | string | null;
  tokens_calls: number | string | null;
  quality_count: number | string | null;
  quality_sum: number | string | null;
  cost_calls: number | string | null;
  cost_sum: string | null;
  hists: Histogram[] | null;
};

export type VersionMetrics = {
  totalCalls: number;
  successRate: number | null;
  avgLatencyMs: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  p99LatencyMs: number | null;
  avgTokensUsed: number | null;
  inputTokens: number;
  outputTokens: number;
  qualityScore: number | null;
  feedbackCount: number;
  costPerCall: number | null;
  totalCost: number;
};

const num = (v: number | string | null | undefined) => (v == null ? 0 : Number(v));
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export function summarize(s: RollupSums): VersionMetrics {
  const calls = num(s.calls);
  const [p50, p95, p99] = quantiles(mergeHistograms(s.hists ?? []), [0.5, 0.95, 0.99]);
  const costNano = s.cost_sum == null ? 0n : decimalToNano(String(s.cost_sum));
  const costCalls = num(s.cost_calls);
  return {
    totalCalls: calls,
    successRate: ratio(num(s.successes), calls),
    avgLatencyMs: ratio(num(s.latency_sum), calls),
    p50LatencyMs: p50 ?? null,
    p95LatencyMs: p95 ?? null,
    p99LatencyMs: p99 ?? null,
    avgTokensUsed: ratio(num(s.tokens_sum), num(s.tokens_calls)),
    inputTokens: num(s.input_tokens),
    outputTokens: num(s.output_tokens),
    qualityScore: ratio(num(s.quality_sum), num(s.quality_count)),
    feedbackCount: num(s.quality_count),
    costPerCall: costCalls > 0 ? nanoToUsd(costNano) / costCalls : null,
    totalCost: nanoToUsd(costNano),
  };
}
