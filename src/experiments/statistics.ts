/** Fixed-horizon and sequential (always-valid) two-sample tests on summary statistics, plus the sample-ratio-mismatch check. */
import { chiSquareSf, erfc, normalQuantile, studentTQuantile, studentTTwoSidedP } from './distributions';

/** Summary statistics of one arm for a continuous metric; `variance` is the unbiased sample variance (n − 1 denominator). */
export interface MeanSummary {
  n: number;
  mean: number;
  variance: number;
}

/** Summary of one arm for a binary metric. */
export interface ProportionSummary {
  n: number;
  successes: number;
}

/** Result of a two-sample comparison; `difference` is always b − a (challenger − control). */
export interface TestResult {
  difference: number;
  /** Standard error of `difference` used for the confidence interval. */
  standardError: number;
  /** Degrees of freedom (Welch–Satterthwaite); Infinity for z-tests. */
  df: number;
  /** The test statistic (t or z). */
  statistic: number;
  /** 95% confidence interval for b − a. */
  confidenceInterval: [number, number];
  /** Two-sided p-value of H0: difference = 0. */
  pValue: number;
}

const CONFIDENCE = 0.95;

/**
 * Summary statistics from DB rollups (count, Σx, Σx²) with the unbiased variance.
 * Σx² − (Σx)²/n cancels catastrophically when the mean is large relative to the spread (e.g. latency in ms);
 * that is inherent to the rollup format, so the result is clamped at 0 rather than going negative.
 */
export function summaryFromSums(n: number, sum: number, sumSq: number): MeanSummary {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (n === 0) return { n: 0, mean: NaN, variance: NaN };
  const mean = sum / n;
  if (n === 1) return { n: 1, mean, variance: NaN };
  const variance = Math.max(0, (sumSq - sum * mean) / (n - 1));
  return { n, mean, variance };
}

/** Result for a degenerate comparison where the standard error is 0: certain if the means differ, void if not. */
function degenerate(difference: number, df: number): TestResult {
  return {
    difference,
    standardError: 0,
    df,
    statistic: difference === 0 ? 0 : Math.sign(difference) * Infinity,
    confidenceInterval: [difference, difference],
    pValue: difference === 0 ? 1 : 0,
  };
}

/** Welch's unequal-variance t-test of b − a (what R's `t.test(b, a, var.equal = FALSE)` reports). Needs n ≥ 2 per arm. */
export function welchTTest(a: MeanSummary, b: MeanSummary): TestResult {
  if (a.n < 2 || b.n < 2) throw new RangeError('welchTTest needs at least 2 observations per arm');
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const difference = b.mean - a.mean;
  const se = Math.sqrt(va + vb);
  // Welch–Satterthwaite degrees of freedom.
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  if (se === 0) return degenerate(difference, a.n + b.n - 2);
  const t = difference / se;
  const q = studentTQuantile(1 - (1 - CONFIDENCE) / 2, df);
  return {
    difference,
    standardError: se,
    df,
    statistic: t,
    confidenceInterval: [difference - q * se, difference + q * se],
    pValue: studentTTwoSidedP(t, df),
  };
}

/**
 * Two-proportion z-test of p_b − p_a: the test uses the pooled SE (equivalent to R's `prop.test(correct = FALSE)`,
 * whose χ² is z²); the 95% CI is the unpooled Wald interval (also what `prop.test(correct = FALSE)` prints).
 * `standardError` is the unpooled one, matching the interval.
 */
export function twoProportionZTest(a: ProportionSummary, b: ProportionSummary): TestResult {
  checkProportion(a, 'a');
  checkProportion(b, 'b');
  const pa = a.successes / a.n;
  const pb = b.successes / b.n;
  const difference = pb - pa;
  const pooled = (a.successes + b.successes) / (a.n + b.n);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  const seUnpooled = Math.sqrt((pa * (1 - pa)) / a.n + (pb * (1 - pb)) / b.n);
  if (sePooled === 0) return degenerate(difference, Infinity);
  const z = difference / sePooled;
  const q = normalQuantile(1 - (1 - CONFIDENCE) / 2);
  return {
    difference,
    standardError: seUnpooled,
    df: Infinity,
    statistic: z,
    confidenceInterval: [difference - q * seUnpooled, difference + q * seUnpooled],
    pValue: erfc(Math.abs(z) / Math.SQRT2),
  };
}

function checkProportion(s: ProportionSummary, name: string): void {
  if (!Number.isInteger(s.n) || s.n < 1) throw new RangeError(`${name}.n must be a positive integer, got ${s.n}`);
  if (!Number.isInteger(s.successes) || s.successes < 0 || s.successes > s.n) {
    throw new RangeError(`${name}.successes must be an integer in 0..n, got ${s.successes}`);
  }
}

/**
 * Sample-ratio-mismatch check: Pearson χ² goodness-of-fit p-value of the observed arm sizes against the configured
 * weights (any positive scale; normalised here). A variant with weight 0 that received traffic is an outright
 * mismatch (p = 0); one that received none is left out of the test. The counts must come from a period in which the
 * weights did not change (after a ramp, count from the ramp on), otherwise the expectation is wrong.
 */
export function sampleRatioMismatch(observedCounts: readonly number[], weights: readonly number[]): number {
  if (observedCounts.length !== weights.length) throw new RangeError('observedCounts and weights must have the same length');
  let total = 0;
  let weightSum = 0;
  for (let i = 0; i < weights.length; i++) {
    const count = observedCounts[i]!;
    const weight = weights[i]!;
    if (!(count >= 0) || !(weight >= 0)) throw new RangeError('counts and weights must be non-negative');
    if (weight === 0 && count > 0) return 0;
    total += count;
    weightSum += weight;
  }
  if (total === 0) return 1;
  let chiSquare = 0;
  let categories = 0;
  for (let i = 0; i < weights.length; i++) {
    const weight = weights[i]!;
    if (weight === 0) continue;
    const expected = (total * weight) / weightSum;
    const diff = observedCounts[i]! - expected;
    chiSquare += (diff * diff) / expected;
    categories++;
  }
  if (categories < 2) return 1;
  return chiSquareSf(chiSquare, categories - 1);
}
