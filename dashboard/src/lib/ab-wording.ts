/**
 * A/B test results in plain words (pure): metric values and differences in the metric's own units, the
 * decision as a sentence a prompt engineer acts on, and the sample-ratio-mismatch warning. No GraphQL
 * or React here: the pages pass the fields they read.
 */
import { formatPercent } from './format';

export type Metric = 'QUALITY_SCORE' | 'SUCCESS_RATE' | 'LATENCY' | 'COST';
export type Decision = 'KEEP_RUNNING' | 'WINNER' | 'NO_DIFFERENCE' | 'SAMPLE_RATIO_MISMATCH';
export type Status = 'RUNNING' | 'CONCLUDED' | 'STOPPED';

export type VariantMetrics = {
  totalCalls: number;
  successRate?: number | null;
  avgLatencyMs?: number | null;
  qualityScore?: number | null;
  feedbackCount: number;
  costPerCall?: number | null;
};

export type VariantResult = {
  key: string;
  weight: number;
  isControl: boolean;
  version: { number: number };
  metrics: VariantMetrics;
  difference?: number | null;
  confidenceInterval?: readonly number[] | null;
  pValue?: number | null;
  alwaysValidPValue?: number | null;
};

export type TestView = {
  status: Status;
  metric: Metric;
  minSampleSize: number;
  autoPromote: boolean;
  label: string;
  winner?: { key: string; version: { number: number } } | null;
  results: { decision: Decision; srmPValue?: number | null; variants: readonly VariantResult[] };
};

export type Tone = 'ok' | 'warn' | 'info' | 'danger';
export type DecisionWords = { tone: Tone; headline: string; detail: string | null };

/** Family-wise alpha of the server's decision rule (ab-results.ts METHOD): split over the challengers. */
const ALPHA = 0.05;
/** Below this the server's SRM check blocks every decision. */
export const SRM_THRESHOLD = 0.001;

const count = new Intl.NumberFormat('en-US');

export const METRIC_NAMES: Record<Metric, string> = {
  SUCCESS_RATE: 'success rate',
  QUALITY_SCORE: 'quality score',
  LATENCY: 'latency',
  COST: 'cost per call',
};

export const METRIC_HELP: Record<Metric, string> = {
  SUCCESS_RATE: 'Share of successful calls (higher is better)',
  QUALITY_SCORE: 'Average quality score 0–1, from calls and feedback (higher is better)',
  LATENCY: 'Average latency (lower is better)',
  COST: 'Average cost per call (lower is better)',
};

export function higherIsBetter(metric: Metric): boolean {
  return metric === 'SUCCESS_RATE' || metric === 'QUALITY_SCORE';
}

/** "Control", "Treatment" (two variants), or "Variant C" (more). */
export function variantName(key: string, variantCount: number): string {
  if (key === 'A') return 'Control';
  return variantCount === 2 ? 'Treatment' : `Variant ${key}`;
}

export function formatNumber(n: number): string {
  return count.format(n);
}

/** The metric's value of one variant, in its units; "—" without data. */
export function metricValue(metric: Metric, m: VariantMetrics): number | null {
  switch (metric) {
    case 'SUCCESS_RATE':
      return m.successRate ?? null;
    case 'QUALITY_SCORE':
      return m.qualityScore ?? null;
    case 'LATENCY':
      return m.avgLatencyMs ?? null;
    case 'COST':
      return m.costPerCall ?? null;
  }
}

export function formatMetric(metric: Metric, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (metric) {
    case 'SUCCESS_RATE':
      return formatPercent(value);
    case 'QUALITY_SCORE':
      return value.toFixed(3);
    case 'LATENCY':
      return `${Math.round(value).toLocaleString('en-US')} ms`;
    case 'COST':
      return `$${value.toFixed(value < 0.01 ? 5 : 4)}`;
  }
}

const sign = (x: number) => (x > 0 ? '+' : x < 0 ? '−' : '±');

/** A difference (challenger − control) with its sign: "+4.1 pts", "−120 ms", "+0.041", "−$0.00040". */
export function formatDifference(metric: Metric, d: number): string {
  const a = Math.abs(d);
  switch (metric) {
    case 'SUCCESS_RATE':
      return `${sign(d)}${(a * 100).toFixed(1)} pts`;
    case 'QUALITY_SCORE':
      return `${sign(d)}${a.toFixed(3)}`;
    case 'LATENCY':
      return `${sign(d)}${Math.round(a).toLocaleString('en-US')} ms`;
    case 'COST':
      return `${sign(d)}$${a.toFixed(a < 0.01 ? 5 : 4)}`;
  }
}

/** "95% CI +1.2 pts to +7.0 pts". */
export function formatInterval(metric: Metric, ci: readonly number[] | null | undefined): string | null {
  if (!ci || ci.length !== 2) return null;
  return `95% CI ${formatDifference(metric, ci[0]!)} to ${formatDifference(metric, ci[1]!)}`;
}

export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  if (p < 0.0001) return '< 0.0001';
  return p < 0.01 ? p.toFixed(4) : p.toFixed(3);
}

/** "p = 0.021" or "p < 0.0001". */
export function pText(p: number | null | undefined): string {
  const f = formatP(p);
  return f.startsWith('<') ? `p ${f}` : `p = ${f}`;
}

/** Observations of the metric that count toward the minimum sample (scores for quality, calls otherwise). */
export function observations(metric: Metric, m: VariantMetrics): number {
  return metric === 'QUALITY_SCORE' ? m.feedbackCount : m.totalCalls;
}

/** Where the interval lies against zero: better, worse, or unclear (crosses zero). */
export function intervalVerdict(metric: Metric, ci: readonly number[] | null | undefined): 'better' | 'worse' | 'unclear' {
  if (!ci || ci.length !== 2) return 'unclear';
  const [lo, hi] = ci as [number, number];
  const up = higherIsBetter(metric);
  if (lo > 0) return up ? 'better' : 'worse';
  if (hi < 0) return up ? 'worse' : 'better';
  return 'unclear';
}

/** Observed traffic shares vs the weights and what to do, when they differ enough that the SRM check trips. */
export function srmWarning(test: TestView): string | null {
  const { srmPValue, decision, variants } = test.results;
  if (decision !== 'SAMPLE_RATIO_MISMATCH' && !(srmPValue != null && srmPValue < SRM_THRESHOLD)) return null;
  const total = variants.reduce((s, v) => s + v.metrics.totalCalls, 0);
  const weights = variants.reduce((s, v) => s + v.weight, 0) || 1;
  const expected = variants.map((v) => `${v.key} ${Math.round((v.weight / weights) * 100)}%`).join(' / ');
  const got = variants.map((v) => `${v.key} ${total ? Math.round((v.metrics.totalCalls / total) * 100) : 0}%`).join(' / ');
  return (
    `Expected ${expected}, got ${got} of ${formatNumber(total)} calls (${pText(srmPValue)}). ` +
    'Nothing is decided while this lasts. Usually calls are recorded without the request id used to resolve the prompt, ' +
    'or one version’s calls are lost. Fix the logging, then stop this test and start a new one.'
  );
}

function versionName(v: VariantResult, n: number): string {
  return `${variantName(v.key, n)} v${v.version.number}`;
}

/** "+4.1 pts success rate (95% CI +1.2 pts to +7.0 pts)". */
function effect(metric: Metric, v: VariantResult): string {
  if (v.difference == null) return '';
  const ci = formatInterval(metric, v.confidenceInterval);
  return `${formatDifference(metric, v.difference)} ${METRIC_NAMES[metric]}${ci ? ` (${ci})` : ''}`;
}

/** The challenger furthest ahead of the control (by point estimate, in the metric's better direction). */
export function bestChallenger(test: Pick<TestView, 'metric' | 'results'>): VariantResult | null {
  const up = higherIsBetter(test.metric);
  let best: VariantResult | null = null;
  for (const v of test.results.variants) {
    if (v.isControl || v.difference == null) continue;
    if (!best || (up ? v.difference > best.difference! : v.difference < best.difference!)) best = v;
  }
  return best;
}

/**
 * The winning variant's key under a WINNER decision: the recorded winner once the test ended, else the
 * best challenger when it beats the control, else the control (rule 5: every challenger is worse).
 */
export function winnerKey(test: Pick<TestView, 'metric' | 'results' | 'winner'>): string | null {
  if (test.results.decision !== 'WINNER') return test.winner?.key ?? null;
  if (test.winner) return test.winner.key;
  const best = bestChallenger(test);
  const control = test.results.variants.find((v) => v.isControl) ?? test.results.variants[0];
  if (best && best.difference != null && (higherIsBetter(test.metric) ? best.difference > 0 : best.difference < 0)) return best.key;
  return control?.key ?? null;
}

/** The decision in words: what the numbers say and what to do next. */
export function decisionWords(test: TestView): DecisionWords {
  const { variants, decision } = test.results;
  const n = variants.length;
  const control = variants.find((v) => v.isControl) ?? variants[0];
  const controlName = control ? versionName(control, n) : 'the control';

  if (test.status === 'STOPPED') {
    const promoted = test.winner ? variants.find((v) => v.key === test.winner!.key) : undefined;
    return promoted
      ? { tone: 'info', headline: `Stopped by hand: ${versionName(promoted, n)} was promoted to ${test.label}.`, detail: null }
      : { tone: 'info', headline: `Stopped by hand: no variant was promoted; ${test.label} kept its version.`, detail: null };
  }
  if (decision === 'SAMPLE_RATIO_MISMATCH') {
    return { tone: 'danger', headline: 'Results cannot be trusted: traffic does not match the split.', detail: srmWarning(test) };
  }
  const fewest = variants.reduce<VariantResult | null>(
    (m, v) => (!m || observations(test.metric, v.metrics) < observations(test.metric, m.metrics) ? v : m),
    null,
  );
  if (decision === 'KEEP_RUNNING' && fewest && observations(test.metric, fewest.metrics) < test.minSampleSize) {
    const unit = test.metric === 'QUALITY_SCORE' ? 'scored calls' : 'calls';
    const have = observations(test.metric, fewest.metrics);
    return {
      tone: 'info',
      headline: `Not enough data yet: ${formatNumber(have)} of ${formatNumber(test.minSampleSize)} ${unit}`,
      detail: `Every variant needs ${formatNumber(test.minSampleSize)} ${unit} before anything is decided; ${variantName(fewest.key, n)} v${fewest.version.number} has the fewest. Keep the test running.`,
    };
  }
  if (decision === 'KEEP_RUNNING') {
    const best = bestChallenger(test);
    const needed = formatP(ALPHA / Math.max(1, n - 1));
    return {
      tone: 'info',
      headline: 'No clear winner yet: keep the test running.',
      detail: best
        ? `${versionName(best, n)} so far: ${effect(test.metric, best)}; always-valid ${pText(best.alwaysValidPValue)} (a winner needs p below ${needed}).`
        : null,
    };
  }
  if (decision === 'NO_DIFFERENCE') {
    return {
      tone: 'warn',
      headline: `No meaningful difference: nothing beats ${controlName}.`,
      detail: `Every variant has ${formatNumber(test.minSampleSize * 10)} or more calls without a significant difference. Keep ${controlName.replace(/^Control /, '')} and stop the test.`,
    };
  }
  // WINNER
  const winner = variants.find((v) => v.key === winnerKey(test));
  if (winner && !winner.isControl) {
    const headline = `${versionName(winner, n)} is better: ${effect(test.metric, winner)}.`;
    if (test.status === 'CONCLUDED')
      return { tone: 'ok', headline: `${headline} Promoted to ${test.label}${test.autoPromote ? ' automatically' : ''}.`, detail: null };
    return {
      tone: 'ok',
      headline: `${headline} Safe to promote.`,
      detail: `Always-valid ${pText(winner.alwaysValidPValue)}: the sequential test stays valid however often this page is looked at.`,
    };
  }
  const worst = bestChallenger(test);
  return {
    tone: 'warn',
    headline: `${controlName} is better: every challenger does worse${worst ? ` (best: ${effect(test.metric, worst)})` : ''}.`,
    detail: test.status === 'CONCLUDED' ? `${test.label} stays on v${control?.version.number}.` : `Keep v${control?.version.number}: stop the test.`,
  };
}
