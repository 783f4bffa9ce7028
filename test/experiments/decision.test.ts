/** The decision rule of decision.ts, one rule per test, on hand-made summary statistics. */
import { alwaysValidMeanTest, decide, type DecideInput, type VariantStatistics } from '../../src/experiments/pure';

const arm = (key: string, n: number, mean: number, variance = 0.04, weight = 50): VariantStatistics => ({ key, weight, n, mean, variance });

function quality(variants: VariantStatistics[], extra: Partial<DecideInput> = {}) {
  return decide({ metric: 'QUALITY_SCORE', minSampleSize: 100, variants, ...extra });
}

describe('decide', () => {
  it('compares every challenger with the control (challenger − control)', () => {
    const d = quality([arm('A', 500, 0.5, 0.04, 34), arm('B', 500, 0.52, 0.04, 33), arm('C', 500, 0.47, 0.04, 33)]);
    expect(d.comparisons.map((c) => c.key)).toEqual(['B', 'C']);
    expect(d.comparisons[0]!.difference).toBeCloseTo(0.02, 12);
    expect(d.comparisons[1]!.difference).toBeCloseTo(-0.03, 12);
    expect(d.alpha).toBeCloseTo(0.025, 15);
    for (const c of d.comparisons) {
      expect(c.confidenceInterval[0]).toBeLessThan(c.difference);
      expect(c.alwaysValidConfidenceInterval[0]).toBeLessThan(c.confidenceInterval[0]);
    }
  });

  it('SAMPLE_RATIO_MISMATCH blocks even an overwhelming winner, and applies before the minimum sample', () => {
    const d = quality([arm('A', 1000, 0.5), arm('B', 850, 0.7)]);
    expect(d.decision).toBe('SAMPLE_RATIO_MISMATCH');
    expect(d.srmPValue).toBeLessThan(0.001);
    expect(d.winnerKey).toBeUndefined();
    expect(quality([arm('A', 90, 0.5), arm('B', 30, 0.5)]).decision).toBe('SAMPLE_RATIO_MISMATCH');
  });

  it('uses the weights for SRM: 1000 vs 3000 is fine at 25/75', () => {
    const d = quality([arm('A', 1000, 0.5, 0.04, 25), arm('B', 3000, 0.6, 0.04, 75)]);
    expect(d.srmPValue).toBe(1);
    expect(d.decision).toBe('WINNER');
  });

  it('KEEP_RUNNING until every variant has minSampleSize, however large the difference', () => {
    expect(quality([arm('A', 99, 0.2, 0.01), arm('B', 99, 0.9, 0.01)]).decision).toBe('KEEP_RUNNING');
    expect(quality([arm('A', 100, 0.2, 0.01), arm('B', 100, 0.9, 0.01)])).toMatchObject({ decision: 'WINNER', winnerKey: 'B' });
  });

  it('WINNER for a challenger that is significantly better; higher is better for QUALITY_SCORE', () => {
    const d = quality([arm('A', 1000, 0.5), arm('B', 1000, 0.55)]);
    expect(d).toMatchObject({ decision: 'WINNER', winnerKey: 'B' });
    expect(d.comparisons[0]!.alwaysValidPValue).toBeLessThan(0.05);
  });

  it('lower is better for LATENCY and COST', () => {
    const faster = [arm('A', 1000, 800, 200 ** 2), arm('B', 1000, 700, 200 ** 2)];
    expect(decide({ metric: 'LATENCY', minSampleSize: 100, variants: faster })).toMatchObject({ decision: 'WINNER', winnerKey: 'B' });
    const pricier = [arm('A', 1000, 0.01, 0.002 ** 2), arm('B', 1000, 0.012, 0.002 ** 2)];
    expect(decide({ metric: 'COST', minSampleSize: 100, variants: pricier })).toMatchObject({ decision: 'WINNER', winnerKey: 'A' });
  });

  it('the control wins only when EVERY challenger is significantly worse', () => {
    const bothWorse = [arm('A', 1000, 0.6, 0.04, 34), arm('B', 1000, 0.5, 0.04, 33), arm('C', 1000, 0.52, 0.04, 33)];
    expect(quality(bothWorse)).toMatchObject({ decision: 'WINNER', winnerKey: 'A' });
    const oneUnclear = [arm('A', 1000, 0.6, 0.04, 34), arm('B', 1000, 0.5, 0.04, 33), arm('C', 1000, 0.6, 0.04, 33)];
    expect(quality(oneUnclear, { maxSampleSize: 10_000 }).decision).toBe('KEEP_RUNNING');
    expect(quality(oneUnclear).decision).toBe('NO_DIFFERENCE'); // at the horizon: nothing beats the control
  });

  it('with several significant challengers the largest improvement wins', () => {
    const d = quality([arm('A', 1000, 0.5, 0.04, 34), arm('B', 1000, 0.56, 0.04, 33), arm('C', 1000, 0.6, 0.04, 33)]);
    expect(d).toMatchObject({ decision: 'WINNER', winnerKey: 'C' });
  });

  it('applies Bonferroni: a challenger at always-valid p between α/2 and α wins alone but not among two', () => {
    const a = arm('A', 1000, 0.5);
    const b = arm('B', 1000, 0.5295);
    const p = alwaysValidMeanTest(a, b).alwaysValidPValue;
    expect(p).toBeGreaterThan(0.025);
    expect(p).toBeLessThan(0.05);
    expect(quality([a, b])).toMatchObject({ decision: 'WINNER', winnerKey: 'B' });
    const three = quality([{ ...a, weight: 34 }, { ...b, weight: 33 }, arm('C', 1000, 0.5, 0.04, 33)], { maxSampleSize: 10_000 });
    expect(three.decision).toBe('KEEP_RUNNING');
    expect(three.comparisons[0]!.alwaysValidPValue).toBeCloseTo(p, 15);
  });

  it('NO_DIFFERENCE once every variant reaches maxSampleSize (default 10 × minSampleSize) without a significant result', () => {
    expect(quality([arm('A', 999, 0.5), arm('B', 999, 0.501)]).decision).toBe('KEEP_RUNNING');
    expect(quality([arm('A', 1000, 0.5), arm('B', 1000, 0.501)]).decision).toBe('NO_DIFFERENCE');
    expect(quality([arm('A', 500, 0.5), arm('B', 500, 0.501)], { maxSampleSize: 500 }).decision).toBe('NO_DIFFERENCE');
  });

  it('NO_DIFFERENCE early when the always-valid CI rules out any practically relevant difference', () => {
    const variants = [arm('A', 20_000, 0.5), arm('B', 20_000, 0.502)];
    const d = quality(variants, { minSampleSize: 100, maxSampleSize: 1e9, practicalDifference: 0.02 });
    expect(d.decision).toBe('NO_DIFFERENCE');
    const [lo, hi] = d.comparisons[0]!.alwaysValidConfidenceInterval;
    expect(lo).toBeGreaterThan(-0.02);
    expect(hi).toBeLessThan(0.02);
    expect(quality(variants, { maxSampleSize: 1e9, practicalDifference: 0.005 }).decision).toBe('KEEP_RUNNING');
  });

  it('SUCCESS_RATE uses the successes with the proportion tests', () => {
    const rate = (key: string, n: number, successes: number): VariantStatistics => ({ key, weight: 50, n, successes, mean: successes / n, variance: NaN });
    expect(decide({ metric: 'SUCCESS_RATE', minSampleSize: 100, variants: [rate('A', 1000, 100), rate('B', 1000, 150)] })).toMatchObject({
      decision: 'WINNER',
      winnerKey: 'B',
    });
    expect(decide({ metric: 'SUCCESS_RATE', minSampleSize: 100, variants: [rate('A', 1000, 100), rate('B', 1000, 120)], maxSampleSize: 10_000 }).decision).toBe(
      'KEEP_RUNNING',
    );
    expect(() => decide({ metric: 'SUCCESS_RATE', minSampleSize: 100, variants: [arm('A', 1000, 0.1), arm('B', 1000, 0.2)] })).toThrow(RangeError);
  });

  it('reports no evidence for arms too small to compare', () => {
    const d = quality([arm('A', 1, 0.5, NaN), arm('B', 0, NaN, NaN)]);
    expect(d.decision).toBe('KEEP_RUNNING');
    expect(d.comparisons[0]).toMatchObject({ pValue: 1, alwaysValidPValue: 1, confidenceInterval: [-Infinity, Infinity] });
  });

  it('validates its own parameters', () => {
    expect(() => quality([arm('A', 100, 0.5)])).toThrow(RangeError);
    expect(() => quality([arm('A', 100, 0.5), arm('B', 100, 0.5)], { alpha: 0 })).toThrow(RangeError);
    expect(() => quality([arm('A', 100, 0.5), arm('B', 100, 0.5)], { minSampleSize: 1 })).toThrow(RangeError);
  });
});
