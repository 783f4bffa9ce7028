/**
 * The stop/go rule of an A/B test: from per-variant summary statistics to KEEP_RUNNING, WINNER, NO_DIFFERENCE or
 * SAMPLE_RATIO_MISMATCH.
 *
 * Why a sequential test decides: people look at running tests every day, and a fixed-horizon p-value checked at every
 * look declares false winners far more often than α (peeking). The mSPRT always-valid p-value (sequential.ts) keeps
 * P(ever declaring a false winner) ≤ α however often `decide` is called, so the rule below may be evaluated on every
 * dashboard load. The fixed-horizon p-value and 95% CI are reported for information only.
 *
 * The rule, in order:
 *  1. SAMPLE_RATIO_MISMATCH if the χ² test of the arm sizes against the weights gives p < 0.001: broken assignment or
 *     logging makes every comparison suspect, so nothing else is decided.
 *  2. KEEP_RUNNING while any variant has fewer than `minSampleSize` observations (the plug-in variance in the
 *     sequential test needs a sample; it also stops decisions on the first few noisy calls).
 *  3. α is Bonferroni-corrected over the k − 1 challenger-vs-control comparisons: α' = α / (k − 1).
 *  4. WINNER = the challenger with the largest improvement (point estimate) among those that beat the control with
 *     always-valid p < α'. "Better" is higher for QUALITY_SCORE and SUCCESS_RATE, lower for LATENCY and COST.
 *     (With several significant challengers the pick between them is by point estimate, not a test between them.)
 *  5. WINNER = the control when EVERY challenger is significantly worse than it (always-valid p < α', wrong direction).
 *  6. NO_DIFFERENCE ("keep the control: nothing beats it") when either
 *     a. `practicalDifference` δ is given and every always-valid CI at level 1 − α' lies inside (−δ, +δ): any real
 *        difference is too small to matter, and that CI is valid under continuous monitoring too; or
 *     b. every variant has reached `maxSampleSize` (default 10 × minSampleSize) without 4 or 5 happening: the test
 *        had its chance; running on only chases ever smaller effects.
 *  7. Otherwise KEEP_RUNNING.
 *
 * The variants' `weight` only feeds the SRM check and may be any non-negative scale. After a ramp the arm sizes no
 * longer follow the current weights: pass the expected share of the accumulated data instead (Σ over periods of
 * traffic × weight in that period), or counts and stats from the current period only.
 */
import { alwaysValidMeanTest, alwaysValidProportionTest, type SequentialResult } from './sequential';
import { sampleRatioMismatch, twoProportionZTest, welchTTest, type TestResult } from './statistics';

export type Metric = 'QUALITY_SCORE' | 'SUCCESS_RATE' | 'LATENCY' | 'COST';
export type DecisionKind = 'KEEP_RUNNING' | 'WINNER' | 'NO_DIFFERENCE' | 'SAMPLE_RATIO_MISMATCH';

/** SRM p-values below this block every decision (the usual industry threshold; false alarms are then rare). */
export const SRM_P_THRESHOLD = 0.001;
/** Default horizon for NO_DIFFERENCE, in multiples of minSampleSize. */
export const DEFAULT_MAX_SAMPLE_FACTOR = 10;

export interface VariantStatistics {
  key: string;
  weight: number;
  n: number;
  /** Mean of the metric; for SUCCESS_RATE the rate (ignored in favour of successes / n). */
  mean: number;
  /** Unbiased sample variance of the metric (unused for SUCCESS_RATE). */
  variance: number;
  /** Required for SUCCESS_RATE. */
  successes?: number;
}

export interface DecideInput {
  metric: Metric;
  /** The first is the control. 2..10 variants. */
  variants: readonly VariantStatistics[];
  minSampleSize: number;
  /** Family-wise error rate; default 0.05. */
  alpha?: number;
  /** Sample size per variant after which "no significant difference" ends the test; default 10 × minSampleSize. */
  maxSampleSize?: number;
  /** Smallest difference (metric units) worth acting on; enables rule 6a. */
  practicalDifference?: number;
}

export interface Comparison {
  key: string;
  /** Challenger − control. */
  difference: number;
  /** Fixed-horizon 95% CI (Welch t or Wald); informational. */
  confidenceInterval: [number, number];
  /** Fixed-horizon two-sided p-value; informational, NOT valid under repeated looks. */
  pValue: number;
  /** mSPRT p-value; compare with the corrected alpha. */
  alwaysValidPValue: number;
  /** Always-valid CI at level 1 − alpha/(k − 1). */
  alwaysValidConfidenceInterval: [number, number];
}

export interface Decision {
  decision: DecisionKind;
  winnerKey?: string;
  srmPValue: number;
  /** The Bonferroni-corrected alpha the always-valid p-values were compared with. */
  alpha: number;
  comparisons: Comparison[];
}

/** +1 when higher is better, −1 when lower is better. */
export function betterDirection(metric: Metric): 1 | -1 {
  return metric === 'LATENCY' || metric === 'COST' ? -1 : 1;
}

/** Apply the rule documented at the top of this module. */
export function decide(input: DecideInput): Decision {
  const { metric, variants, minSampleSize } = input;
  const alpha = input.alpha ?? 0.05;
  const maxSampleSize = input.maxSampleSize ?? DEFAULT_MAX_SAMPLE_FACTOR * minSampleSize;
  if (variants.length < 2 || variants.length > 10) throw new RangeError('decide needs 2 to 10 variants');
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!Number.isInteger(minSampleSize) || minSampleSize < 2) throw new RangeError('minSampleSize must be an integer ≥ 2');

  const control = variants[0]!;
  const challengers = variants.slice(1);
  const correctedAlpha = alpha / challengers.length;
  const comparisons = challengers.map((v) => compare(metric, control, v, correctedAlpha));
  const srmPValue = sampleRatioMismatch(
    variants.map((v) => v.n),
    variants.map((v) => v.weight),
  );
  const result = (decision: DecisionKind, winnerKey?: string): Decision => ({
    decision,
    ...(winnerKey === undefined ? {} : { winnerKey }),
    srmPValue,
    alpha: correctedAlpha,
    comparisons,
  });

  if (srmPValue < SRM_P_THRESHOLD) return result('SAMPLE_RATIO_MISMATCH');
  if (variants.some((v) => v.n < minSampleSize)) return result('KEEP_RUNNING');

  const direction = betterDirection(metric);
  const significant = comparisons.filter((c) => c.alwaysValidPValue < correctedAlpha);
  const better = significant.filter((c) => direction * c.difference > 0);
  if (better.length > 0) {
    const best = better.reduce((x, y) => (direction * y.difference > direction * x.difference ? y : x));
    return result('WINNER', best.key);
  }
  if (significant.length === comparisons.length && significant.every((c) => direction * c.difference < 0)) {
    return result('WINNER', control.key);
  }

  const delta = input.practicalDifference;
  if (delta !== undefined && delta > 0) {
    const allSmall = comparisons.every(({ alwaysValidConfidenceInterval: [lo, hi] }) => lo > -delta && hi < delta);
    if (allSmall) return result('NO_DIFFERENCE');
  }
  if (variants.every((v) => v.n >= maxSampleSize)) return result('NO_DIFFERENCE');
  return result('KEEP_RUNNING');
}

/** A comparison that cannot be computed yet (too few observations): no evidence either way. */
function unknown(key: string, difference: number): Comparison {
  return {
    key,
    difference,
    confidenceInterval: [-Infinity, Infinity],
    pValue: 1,
    alwaysValidPValue: 1,
    alwaysValidConfidenceInterval: [-Infinity, Infinity],
  };
}

function compare(metric: Metric, control: VariantStatistics, challenger: VariantStatistics, alpha: number): Comparison {
  let fixed: TestResult;
  let sequential: SequentialResult;
  if (metric === 'SUCCESS_RATE') {
    const a = proportion(control);
    const b = proportion(challenger);
    if (a.n < 1 || b.n < 1) return unknown(challenger.key, NaN);
    fixed = twoProportionZTest(a, b);
    sequential = alwaysValidProportionTest(a, b, alpha);
  } else {
    if (control.n < 2 || challenger.n < 2) {
      return unknown(challenger.key, challenger.mean - control.mean);
    }
    fixed = welchTTest(control, challenger);
    sequential = alwaysValidMeanTest(control, challenger, alpha);
  }
  return {
    key: challenger.key,
    difference: fixed.difference,
    confidenceInterval: fixed.confidenceInterval,
    pValue: fixed.pValue,
    alwaysValidPValue: sequential.alwaysValidPValue,
    alwaysValidConfidenceInterval: sequential.alwaysValidConfidenceInterval,
  };
}

function proportion(v: VariantStatistics): { n: number; successes: number } {
  if (v.successes === undefined) throw new RangeError(`variant ${v.key}: SUCCESS_RATE needs successes`);
  return { n: v.n, successes: v.successes };
}
