/** The mixture sequential probability ratio test (mSPRT): always-valid p-values and confidence intervals for A/B differences. */
import type { MeanSummary, ProportionSummary } from './statistics';

/**
 * Normal-mixture mSPRT of Johari, Koomen, Pekelis & Walsh, "Peeking at A/B tests" (KDD 2017) / "Always valid
 * inference" (arXiv 1512.04922). With θ̂ the observed difference b − a, V its variance and a N(0, τ²) mixture over the
 * true difference θ, the mixture likelihood ratio against H0: θ = 0 is
 *
 *   Λ = sqrt(V / (V + τ²)) · exp( τ² θ̂² / (2 V (V + τ²)) )
 *
 * (for n per arm and common σ², V = 2σ²/n gives the paper's formula). Under H0, Λ is a martingale, so by Ville's
 * inequality P(Λ ever ≥ 1/α) ≤ α: rejecting when 1/Λ < α at ANY look, however often one looks, keeps the error at α.
 * The always-valid p-value is min(1, 1/Λ); a caller that stores past values may report their running minimum, which
 * is still valid. V uses the plug-in sample variances (the paper's large-sample approximation), so validity is
 * asymptotic — a minimum sample size before deciding protects it.
 *
 * τ² choice: τ is set to MIXTURE_SD_IN_SDS = 0.2 standard deviations of the metric (a Cohen's-d prior N(0, 0.2²),
 * i.e. "small" effects, which is what prompt tweaks usually produce). Scaling τ by the metric's own spread makes one
 * constant work for scores in [0,1], latencies in ms and costs in dollars. The rejection threshold in |z| is then
 * nearly flat over the sample sizes that matter: ≈ 3.26 at 100 per arm, 3.08 at 1,000, 3.37 at 10,000 (α = 0.05);
 * a smaller τ would favour long tests, a larger one short tests with big effects.
 */
export const MIXTURE_SD_IN_SDS = 0.2;

export interface SequentialResult {
  /** min(1, 1/Λ) at this look. */
  alwaysValidPValue: number;
  /** {θ : Λ(θ) < 1/α}: covers the true difference at every look simultaneously with probability ≥ 1 − α. */
  alwaysValidConfidenceInterval: [number, number];
}

/** Core mSPRT for an estimate with variance `v` and mixture variance `tau2`. */
export function msprt(difference: number, v: number, tau2: number, alpha: number): SequentialResult {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(v > 0) || !(tau2 > 0)) {
    // No spread at all: the difference is known exactly.
    return {
      alwaysValidPValue: difference === 0 || Number.isNaN(difference) ? 1 : 0,
      alwaysValidConfidenceInterval: [difference, difference],
    };
  }
  const logLambda = 0.5 * Math.log(v / (v + tau2)) + (tau2 * difference * difference) / (2 * v * (v + tau2));
  const alwaysValidPValue = Math.min(1, Math.exp(-logLambda));
  // Solve log Λ(θ) = log(1/α) for θ − θ̂.
  const halfWidth = Math.sqrt(((v * (v + tau2)) / tau2) * (2 * Math.log(1 / alpha) + Math.log((v + tau2) / v)));
  return { alwaysValidPValue, alwaysValidConfidenceInterval: [difference - halfWidth, difference + halfWidth] };
}

/** mSPRT for b − a in means; V = s_a²/n_a + s_b²/n_b (Welch's), τ = 0.2 · pooled sd. Needs n ≥ 2 per arm. */
export function alwaysValidMeanTest(a: MeanSummary, b: MeanSummary, alpha = 0.05): SequentialResult {
  if (a.n < 2 || b.n < 2) throw new RangeError('alwaysValidMeanTest needs at least 2 observations per arm');
  const v = a.variance / a.n + b.variance / b.n;
  const pooledVariance = ((a.n - 1) * a.variance + (b.n - 1) * b.variance) / (a.n + b.n - 2);
  return msprt(b.mean - a.mean, v, MIXTURE_SD_IN_SDS ** 2 * pooledVariance, alpha);
}

/**
 * mSPRT for p_b − p_a. V uses the pooled rate (the variance under H0, as the paper's Bernoulli case does), and
 * τ = 0.2 · sqrt(p̄(1 − p̄)), the same standardised prior as for means.
 */
export function alwaysValidProportionTest(a: ProportionSummary, b: ProportionSummary, alpha = 0.05): SequentialResult {
  if (a.n < 1 || b.n < 1) throw new RangeError('alwaysValidProportionTest needs at least 1 observation per arm');
  const pooled = (a.successes + b.successes) / (a.n + b.n);
  const bernoulliVariance = pooled * (1 - pooled);
  const v = bernoulliVariance * (1 / a.n + 1 / b.n);
  return msprt(b.successes / b.n - a.successes / a.n, v, MIXTURE_SD_IN_SDS ** 2 * bernoulliVariance, alpha);
}
