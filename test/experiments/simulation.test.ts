/**
 * Monte-Carlo check of the decision rule under repeated looks (seeded, deterministic): A/A tests must rarely promote a
 * winner even when `decide` runs every 50 calls per arm, and a real +0.1 quality lift (sd 0.2) must be found in most
 * tests by 500 calls per arm. Arms are kept as running summaries (as the DB rollups will be), never as arrays.
 */
import { decide, type VariantStatistics } from '../../src/experiments/pure';
import { mulberry32, normalSampler, RunningStats } from './support/random';

const LOOK_EVERY = 50;
const MIN_SAMPLE = 100;

interface Outcome {
  decision: string;
  winnerKey?: string;
  perArm: number;
  /** Whether a fixed-horizon p-value dipped below 0.05 at some look: what naive peeking would have acted on. */
  naivePeekRejected: boolean;
}

/** One test with equal-weight arms, looking every 50 calls per arm until a decision other than KEEP_RUNNING or maxPerArm. */
function runTest(draws: (() => number)[], maxPerArm: number): Outcome {
  const arms = draws.map(() => new RunningStats());
  const keys = ['A', 'B', 'C', 'D'];
  let naivePeekRejected = false;
  while (arms[0]!.n < maxPerArm) {
    for (let i = 0; i < LOOK_EVERY; i++) arms.forEach((arm, k) => arm.add(draws[k]!()));
    const variants: VariantStatistics[] = arms.map((s, k) => ({ key: keys[k]!, weight: 1, n: s.n, mean: s.mean, variance: s.variance }));
    const d = decide({ metric: 'QUALITY_SCORE', minSampleSize: MIN_SAMPLE, variants });
    if (arms[0]!.n >= MIN_SAMPLE && d.comparisons.some((c) => c.pValue < 0.05)) naivePeekRejected = true;
    if (d.decision !== 'KEEP_RUNNING') {
      return { decision: d.decision, ...(d.winnerKey ? { winnerKey: d.winnerKey } : {}), perArm: arms[0]!.n, naivePeekRejected };
    }
  }
  return { decision: 'KEEP_RUNNING', perArm: arms[0]!.n, naivePeekRejected };
}

describe('decide under continuous monitoring (seeded simulation)', () => {
  it('A/A: at most 5% of 1,000 tests declare a winner when looking every 50 calls up to 1,000 per arm', () => {
    const draw = normalSampler(mulberry32(20240601), 0.5, 0.2);
    let winners = 0;
    let noDifference = 0;
    let naive = 0;
    const runs = 1000;
    for (let i = 0; i < runs; i++) {
      const outcome = runTest([draw, draw], 1000);
      if (outcome.decision === 'WINNER') winners++;
      if (outcome.decision === 'NO_DIFFERENCE') noDifference++;
      if (outcome.naivePeekRejected) naive++;
    }
    const rate = winners / runs;
    console.log(
      `A/A false-promotion rate: ${(rate * 100).toFixed(1)}% (${winners}/${runs}); NO_DIFFERENCE at 1,000/arm: ${noDifference}; ` +
        `naive peeking (fixed-horizon p < 0.05 at some look until the decision) would have acted in ${((naive / runs) * 100).toFixed(1)}%`,
    );
    expect(rate).toBeLessThanOrEqual(0.05);
    // Why the sequential test: acting on the fixed-horizon p-value at every look promotes far more A/A "winners".
    expect(naive).toBeGreaterThan(winners);
  });

  it('A/A/A: the Bonferroni-corrected rule keeps the family-wise false promotions at most 5% (500 tests)', () => {
    const draw = normalSampler(mulberry32(99), 0.5, 0.2);
    let winners = 0;
    const runs = 500;
    for (let i = 0; i < runs; i++) if (runTest([draw, draw, draw], 1000).decision === 'WINNER') winners++;
    console.log(`A/A/A false-promotion rate: ${((winners / runs) * 100).toFixed(1)}% (${winners}/${runs})`);
    expect(winners / runs).toBeLessThanOrEqual(0.05);
  });

  it('power: a +0.1 quality lift (sd 0.2) is found as WINNER = B in at least 80% of 1,000 tests by 500 calls per arm', () => {
    const drawA = normalSampler(mulberry32(777), 0.5, 0.2);
    const drawB = normalSampler(mulberry32(4242), 0.6, 0.2);
    let found = 0;
    let wrong = 0;
    let callsAtWin = 0;
    const runs = 1000;
    for (let i = 0; i < runs; i++) {
      const outcome = runTest([drawA, drawB], 500);
      if (outcome.decision === 'WINNER' && outcome.winnerKey === 'B') {
        found++;
        callsAtWin += outcome.perArm;
      } else if (outcome.decision === 'WINNER') wrong++;
    }
    const power = found / runs;
    console.log(
      `power for +0.1 (d = 0.5): ${(power * 100).toFixed(1)}% (${found}/${runs}); wrong winner: ${wrong}; ` +
        `mean calls per arm at the decision: ${(callsAtWin / Math.max(1, found)).toFixed(0)}`,
    );
    expect(power).toBeGreaterThanOrEqual(0.8);
    expect(wrong).toBe(0);
  });

  it('power for a small lift, +0.04 (d = 0.2), by 1,000 calls per arm is at least 80% too', () => {
    const drawA = normalSampler(mulberry32(31337), 0.5, 0.2);
    const drawB = normalSampler(mulberry32(271828), 0.54, 0.2);
    let found = 0;
    const runs = 500;
    for (let i = 0; i < runs; i++) {
      const outcome = runTest([drawA, drawB], 1000);
      if (outcome.decision === 'WINNER' && outcome.winnerKey === 'B') found++;
    }
    console.log(`power for +0.04 (d = 0.2) by 1,000/arm: ${((found / runs) * 100).toFixed(1)}% (${found}/${runs})`);
    // A single fixed-horizon test at n = 1,000 per arm (z ≈ 4.5) would have ~99%; the always-valid boundary
    // (|z| ≈ 3.1 instead of 1.96) is the price of being allowed to look at every 50 calls.
    expect(found / runs).toBeGreaterThanOrEqual(0.8);
  });
});
