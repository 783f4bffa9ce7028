/**
 * Two-sample tests, SRM and the mSPRT against independent references. Sources:
 *  - [R]     the `sleep` example of R's `t.test(extra ~ group, data = sleep)` (Welch), as printed in R's documentation
 *            and countless tutorials: t = -1.8608, df = 17.776, p-value = 0.07939, 95% CI -3.3654832 0.2054832
 *            (group 1 − group 2; ours is b − a = group 2 − group 1, so the signs flip).
 *  - [scipy] SciPy 1.17.1, computed for this test: stats.ttest_ind_from_stats(equal_var=False) for Welch,
 *            stats.chi2_contingency(correction=False) for the 2×2 test (identical to R's prop.test(correct = FALSE),
 *            whose χ² is z²), stats.chisquare for goodness of fit, and norm.ppf for the Wald interval.
 *  - [paper] the equal-n two-sample formula of Johari et al. (2017), eq. for Λ_n with a N(0, τ²) mixture.
 */
import {
  alwaysValidMeanTest,
  alwaysValidProportionTest,
  MIXTURE_SD_IN_SDS,
  msprt,
  sampleRatioMismatch,
  summaryFromSums,
  twoProportionZTest,
  welchTTest,
} from '../../src/experiments/pure';

const SLEEP_GROUP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const SLEEP_GROUP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

function fromSamples(xs: number[]) {
  let sum = 0;
  let sumSq = 0;
  for (const x of xs) {
    sum += x;
    sumSq += x * x;
  }
  return summaryFromSums(xs.length, sum, sumSq);
}

describe('summaryFromSums', () => {
  it('gives the mean and the unbiased variance', () => {
    const s = fromSamples(SLEEP_GROUP_1);
    expect(s.n).toBe(10);
    expect(s.mean).toBeCloseTo(0.75, 12);
    expect(s.variance).toBeCloseTo(3.2005555555555554, 12); // [scipy] np.var(ddof=1)
  });

  it('handles tiny and constant samples', () => {
    expect(summaryFromSums(0, 0, 0).mean).toBeNaN();
    expect(summaryFromSums(1, 5, 25)).toEqual({ n: 1, mean: 5, variance: NaN });
    // Rounding in Σx² − (Σx)²/n must not produce a negative variance.
    expect(summaryFromSums(3, 0.3, 0.030000000000000002).variance).toBeGreaterThanOrEqual(0);
    expect(() => summaryFromSums(-1, 0, 0)).toThrow(RangeError);
  });
});

describe('welchTTest', () => {
  it('matches R t.test on the sleep data [R]', () => {
    const r = welchTTest(fromSamples(SLEEP_GROUP_1), fromSamples(SLEEP_GROUP_2));
    expect(r.difference).toBeCloseTo(1.58, 12);
    expect(r.statistic).toBeCloseTo(1.8608134674868526, 9); // R: 1.8608
    expect(r.df).toBeCloseTo(17.776473516178488, 9); // R: 17.776
    expect(r.pValue).toBeCloseTo(0.0793941401873583, 10); // R: 0.07939
    expect(r.confidenceInterval[0]).toBeCloseTo(-0.20548323071171137, 9); // R: -0.2054832
    expect(r.confidenceInterval[1]).toBeCloseTo(3.3654832307117104, 9); // R: 3.3654832
  });

  it('matches scipy for unequal n and variances [scipy]', () => {
    const r = welchTTest({ n: 25, mean: 10.2, variance: 4 }, { n: 40, mean: 11.5, variance: 9 });
    expect(r.difference).toBeCloseTo(1.3, 12);
    expect(r.standardError).toBeCloseTo(0.6204836822995429, 12);
    expect(r.statistic).toBeCloseTo(2.09513970646599, 10);
    expect(r.df).toBeCloseTo(62.68121442125237, 9);
    expect(r.pValue).toBeCloseTo(0.04020508399307281, 10);
    expect(r.confidenceInterval[0]).toBeCloseTo(0.05993887641954965, 9);
    expect(r.confidenceInterval[1]).toBeCloseTo(2.5400611235804504, 9);
  });

  it('is antisymmetric in its arms', () => {
    const a = { n: 30, mean: 1, variance: 2 };
    const b = { n: 50, mean: 1.4, variance: 1 };
    const ab = welchTTest(a, b);
    const ba = welchTTest(b, a);
    expect(ba.difference).toBeCloseTo(-ab.difference, 14);
    expect(ba.pValue).toBeCloseTo(ab.pValue, 14);
    expect(ba.confidenceInterval[0]).toBeCloseTo(-ab.confidenceInterval[1], 12);
  });

  it('handles zero variance and refuses n < 2', () => {
    expect(welchTTest({ n: 5, mean: 1, variance: 0 }, { n: 5, mean: 1, variance: 0 }).pValue).toBe(1);
    expect(welchTTest({ n: 5, mean: 1, variance: 0 }, { n: 5, mean: 2, variance: 0 }).pValue).toBe(0);
    expect(() => welchTTest({ n: 1, mean: 1, variance: NaN }, { n: 5, mean: 2, variance: 1 })).toThrow(RangeError);
  });
});

describe('twoProportionZTest', () => {
  it('matches prop.test(correct = FALSE) for 120/1000 vs 150/1000 [scipy chi2_contingency]', () => {
    const r = twoProportionZTest({ n: 1000, successes: 120 }, { n: 1000, successes: 150 });
    expect(r.difference).toBeCloseTo(0.03, 14);
    expect(r.statistic ** 2).toBeCloseTo(3.8535645472061657, 10); // χ² = z²
    expect(r.statistic).toBeCloseTo(1.9630498076223553, 10);
    expect(r.pValue).toBeCloseTo(0.049640386865368834, 12);
    expect(r.standardError).toBeCloseTo(0.015267612779999369, 14);
    expect(r.confidenceInterval[0]).toBeCloseTo(7.602882129778554e-5, 12);
    expect(r.confidenceInterval[1]).toBeCloseTo(0.05992397117870221, 12);
    expect(r.df).toBe(Infinity);
  });

  it('matches for unequal n: 45/200 vs 30/300 [scipy chi2_contingency]', () => {
    const r = twoProportionZTest({ n: 200, successes: 45 }, { n: 300, successes: 30 });
    expect(r.difference).toBeCloseTo(-0.125, 14);
    expect(r.statistic ** 2).toBeCloseTo(14.705882352941178, 9);
    expect(r.pValue).toBeCloseTo(0.0001256537544583813, 14);
  });

  it('handles all-or-nothing arms and bad input', () => {
    expect(twoProportionZTest({ n: 10, successes: 0 }, { n: 20, successes: 0 }).pValue).toBe(1);
    expect(twoProportionZTest({ n: 10, successes: 10 }, { n: 20, successes: 20 }).pValue).toBe(1);
    expect(() => twoProportionZTest({ n: 10, successes: 11 }, { n: 20, successes: 2 })).toThrow(RangeError);
    expect(() => twoProportionZTest({ n: 0, successes: 0 }, { n: 20, successes: 2 })).toThrow(RangeError);
  });
});

describe('sampleRatioMismatch', () => {
  it.each([
    [[5050, 4950], [50, 50], 0.31731050786291115],
    [[5200, 4800], [50, 50], 6.334248366623988e-5],
    [[1010, 2960, 6030], [10, 30, 60], 0.6759293862085684],
    [[21, 29, 50], [20, 30, 50], 0.9591894571091382],
  ])('χ² goodness of fit of %p against %p [scipy chisquare]', (counts, weights, expected) => {
    expect(sampleRatioMismatch(counts, weights)).toBeCloseTo(expected, 12);
  });

  it('normalises weights of any scale', () => {
    expect(sampleRatioMismatch([1010, 2960, 6030], [0.1, 0.3, 0.6])).toBeCloseTo(0.6759293862085684, 12);
  });

  it('treats traffic to a weight-0 variant as a mismatch and ignores an idle one', () => {
    expect(sampleRatioMismatch([500, 500, 3], [50, 50, 0])).toBe(0);
    expect(sampleRatioMismatch([5050, 4950, 0], [50, 50, 0])).toBeCloseTo(0.31731050786291115, 12);
    expect(sampleRatioMismatch([0, 0], [50, 50])).toBe(1);
  });
});

describe('mSPRT (always-valid inference)', () => {
  it('equals the paper’s equal-n formula [paper]', () => {
    // Λ_n = sqrt(2σ² / (2σ² + nτ²)) · exp(n²τ²θ̂² / (4σ²(2σ² + nτ²))), σ² known and common, n per arm.
    const n = 400;
    const sigma2 = 0.04;
    const diff = 0.05;
    const tau2 = MIXTURE_SD_IN_SDS ** 2 * sigma2;
    const lambda = Math.sqrt((2 * sigma2) / (2 * sigma2 + n * tau2)) * Math.exp((n * n * tau2 * diff * diff) / (4 * sigma2 * (2 * sigma2 + n * tau2)));
    const r = alwaysValidMeanTest({ n, mean: 0.5, variance: sigma2 }, { n, mean: 0.5 + diff, variance: sigma2 });
    expect(r.alwaysValidPValue).toBeCloseTo(1 / lambda, 12);
  });

  it('puts the always-valid CI edge exactly where the p-value of a shifted null reaches alpha', () => {
    const v = 0.0004;
    const tau2 = 0.0016;
    const {
      alwaysValidConfidenceInterval: [lo, hi],
    } = msprt(0.03, v, tau2, 0.05);
    // Testing θ0 = hi is testing a difference of 0.03 − hi from 0.
    expect(msprt(0.03 - hi, v, tau2, 0.05).alwaysValidPValue).toBeCloseTo(0.05, 12);
    expect(msprt(0.03 - lo, v, tau2, 0.05).alwaysValidPValue).toBeCloseTo(0.05, 12);
  });

  it('is more conservative than the fixed-horizon test (the price of peeking)', () => {
    const a = { n: 200, mean: 0.5, variance: 0.04 };
    const b = { n: 200, mean: 0.545, variance: 0.04 };
    const fixed = welchTTest(a, b);
    const sequential = alwaysValidMeanTest(a, b);
    expect(fixed.pValue).toBeLessThan(0.05);
    expect(sequential.alwaysValidPValue).toBeGreaterThan(fixed.pValue);
    expect(sequential.alwaysValidConfidenceInterval[0]).toBeLessThan(fixed.confidenceInterval[0]);
    expect(sequential.alwaysValidConfidenceInterval[1]).toBeGreaterThan(fixed.confidenceInterval[1]);
  });

  it('gives p = 1 for no observed difference and p → 0 for an overwhelming one', () => {
    expect(alwaysValidMeanTest({ n: 100, mean: 1, variance: 1 }, { n: 100, mean: 1, variance: 1 }).alwaysValidPValue).toBe(1);
    expect(alwaysValidMeanTest({ n: 1000, mean: 1, variance: 1 }, { n: 1000, mean: 1.5, variance: 1 }).alwaysValidPValue).toBeLessThan(1e-10);
  });

  it('works for proportions with the pooled variance', () => {
    const a = { n: 1000, successes: 120 };
    const b = { n: 1000, successes: 150 };
    const p = 270 / 2000;
    const v = p * (1 - p) * (2 / 1000);
    const expected = msprt(0.03, v, MIXTURE_SD_IN_SDS ** 2 * p * (1 - p), 0.05);
    expect(alwaysValidProportionTest(a, b)).toEqual(expected);
    // 120 vs 150 of 1000 is borderline at a fixed horizon (p = 0.0496) and far from it sequentially.
    expect(expected.alwaysValidPValue).toBeGreaterThan(0.2);
    expect(alwaysValidProportionTest({ n: 50, successes: 0 }, { n: 50, successes: 0 }).alwaysValidPValue).toBe(1);
  });
});
