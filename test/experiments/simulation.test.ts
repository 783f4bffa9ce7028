/**
 * Monte-Carlo check of the decision rule under repeated looks: A/A tests must rarely promote a winner even when
 * `decide` runs every 50 calls, and a real 0.1 quality lift (sd 0.2) must be found in most tests by 500 calls per arm.
 */
import { decide, type DecideInput } from '../../src/experiments/pure';
import { mulberry32, normalSampler, RunningStats } from './support/random';

const LOOK_EVERY = 50;
const MIN_SAMPLE = 100;

interface Outcome {
  decision: string;
  winnerKey?: string;
  perArm: number;
}

/** Run one two-arm test, looking every 50 calls per arm until a decision other than KEEP_RUNNING or maxPerArm. */
function runTest(drawA: () => number, drawB: () => number, maxPerArm: number): Outcome {
  const a = new RunningStats();
  const b = new RunningStats();
  while (a.n < maxPerArm) {
    for (let i = 0; i < LOOK_EVERY; i++) {
      a.add(drawA());
      b.add(drawB());
    }
    const input: DecideInput = {
      metric: 'QUALITY_SCORE',
      minSampleSize: MIN_SAMPLE,
      variants: [
        { key: 'A', weight: 50, n: a.n, mean: a.mean, variance: a.variance },
        { key: 'B', weight: 50, n: b.n, mean: b.mean, variance: b.variance },
      ],
    };
    const d = decide(input);
    if (d.decision !== 'KEEP_RUNNING') return { decision: d.decision, ...(d.winnerKey ? { winnerKey: d.winnerKey } : {}), perArm: a.n };
  }
  return { decision: 'KEEP_RUNNING', perArm: a.n };
}

describe('decide under continuous monitoring (seeded simulation)', () => {
  it('A/A: at most 5% of 1,000 tests declare a winner when looking every 50 calls up to 1,000 per arm', () => {
    const uniform = mulberry32(20240601);
    const draw = normalSampler(uniform, 0.5, 0.2);
    let winners = 0;
    let noDifference = 0;
    const runs = 1000;
    for (let i = 0; i < runs; i++) {
      const outcome = runTest(draw, draw, 1000);
      if (outcome.decision === 'WINNER') winners++;
      if (outcome.decision === 'NO_DIFFERENCE') noDifference++;
    }
    const rate = winners / runs;
    console.log(`A/A false-promotion rate: ${(rate * 100).toFixed(1)}% (${winners}/${runs}); NO_DIFFERENCE at 1,000/arm: ${noDifference}`);
    expect(rate).toBeLessThanOrEqual(0.05);
  });

  it('power: a +0.1 quality lift (sd 0.2) is found as WINNER = B in at least 80% of 1,000 tests by 500 calls per arm', () => {
    const uniform = mulberry32(777);
    const drawA = normalSampler(uniform, 0.5, 0.2);
    const drawB = normalSampler(mulberry32(4242), 0.6, 0.2);
    let found = 0;
    let wrong = 0;
    let callsAtWin = 0;
    const runs = 1000;
    for (let i = 0; i < runs; i++) {
      const outcome = runTest(drawA, drawB, 500);
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
});
