/** Bucket allocations: initial layout, ramp examples, and fast-check properties of rebalance(). */
import fc from 'fast-check';
import { BadInputError } from '../../src/errors';
import {
  bucketsOwned,
  initialAllocation,
  isValidAllocation,
  rebalance,
  variantForBucket,
  variantKey,
  weightsOf,
  type Allocation,
} from '../../src/experiments/pure';

const keyed = (weights: number[]) => weights.map((weight, i) => ({ key: variantKey(i), weight }));
const ranges = (a: Allocation) => a.map((v) => v.ranges);

/** Owner index of every bucket (−1 if none); plain typed-array loops keep 300 fast-check runs fast. */
function owners(a: Allocation): Int8Array {
  const out = new Int8Array(10_000).fill(-1);
  a.forEach(({ ranges: rs }, i) => {
    for (const [start, end] of rs) out.fill(i, start, end);
  });
  return out;
}

describe('initialAllocation', () => {
  it('lays out contiguous ranges in order', () => {
    expect(ranges(initialAllocation(keyed([10, 30, 60])))).toEqual([[[0, 1000]], [[1000, 4000]], [[4000, 10000]]]);
    expect(variantForBucket(initialAllocation(keyed([10, 30, 60])), 999)).toBe('A');
    expect(variantForBucket(initialAllocation(keyed([10, 30, 60])), 1000)).toBe('B');
  });

  it('rejects weights that do not add up to 100', () => {
    expect(() => initialAllocation(keyed([50, 40]))).toThrow(BadInputError);
    expect(() => initialAllocation(keyed([50, 50.5]))).toThrow(BadInputError);
  });
});

describe('rebalance examples', () => {
  it('50/50 → 20/80 hands the end of A to B and merges', () => {
    expect(ranges(rebalance(initialAllocation(keyed([50, 50])), keyed([20, 80])))).toEqual([[[0, 2000]], [[2000, 10000]]]);
  });

  it('ramping back gives up the END of the grower’s ranges, not the buckets it gained', () => {
    const back = rebalance(rebalance(initialAllocation(keyed([50, 50])), keyed([20, 80])), keyed([50, 50]));
    expect(ranges(back)).toEqual([
      [
        [0, 2000],
        [7000, 10000],
      ],
      [[2000, 7000]],
    ]);
  });

  it('34/33/33 → 20/40/40 splits A’s freed buckets between B and C in variant order', () => {
    expect(ranges(rebalance(initialAllocation(keyed([34, 33, 33])), keyed([20, 40, 40])))).toEqual([
      [[0, 2000]],
      [
        [2000, 2700],
        [3400, 6700],
      ],
      [
        [2700, 3400],
        [6700, 10000],
      ],
    ]);
  });

  it('a variant can be ramped to 0 and back', () => {
    const off = rebalance(initialAllocation(keyed([10, 30, 60])), keyed([40, 0, 60]));
    expect(ranges(off)).toEqual([[[0, 4000]], [], [[4000, 10000]]]);
    expect(weightsOf(rebalance(off, keyed([30, 10, 60]))).map((w) => w.weight)).toEqual([30, 10, 60]);
  });

  it('refuses other keys, a different number of variants, or a bad total', () => {
    const a = initialAllocation(keyed([50, 50]));
    expect(() =>
      rebalance(a, [
        { key: 'A', weight: 50 },
        { key: 'C', weight: 50 },
      ]),
    ).toThrow(BadInputError);
    expect(() => rebalance(a, keyed([50, 25, 25]))).toThrow(BadInputError);
    expect(() =>
      rebalance(a, [
        { key: 'A', weight: 50 },
        { key: 'A', weight: 50 },
      ]),
    ).toThrow(BadInputError);
    expect(() => rebalance(a, keyed([60, 50]))).toThrow(expect.objectContaining({ field: 'variants' }));
    expect(() => rebalance(a, keyed([-10, 110]))).toThrow(expect.objectContaining({ field: 'variants.0.weight' }));
  });
});

/** k integer weights summing to 100, each ≥ min (min 0 or 1), from k − 1 cut points. */
function weightsArb(k: number, min: 0 | 1): fc.Arbitrary<number[]> {
  const cut = fc.integer({ min: min, max: 100 - min });
  const cuts =
    min === 1 ? fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: k - 1, maxLength: k - 1 }) : fc.array(cut, { minLength: k - 1, maxLength: k - 1 });
  return cuts.map((cs) => {
    const sorted = [0, ...[...cs].sort((x, y) => x - y), 100];
    return sorted.slice(1).map((c, i) => c - sorted[i]!);
  });
}

const scenario = fc.integer({ min: 2, max: 10 }).chain((k) => fc.tuple(weightsArb(k, 1), fc.array(weightsArb(k, 0), { minLength: 1, maxLength: 6 })));

describe('rebalance properties (fast-check)', () => {
  it('every bucket has exactly one owner, sizes equal weight × 100, growers only gain and shrinkers only lose', () => {
    fc.assert(
      fc.property(scenario, ([initial, ramps]) => {
        let current = initialAllocation(keyed(initial));
        for (const next of ramps) {
          const updated = rebalance(current, keyed(next));
          expect(isValidAllocation(updated)).toBe(true);
          expect(updated.map((v) => v.key)).toEqual(current.map((v) => v.key));
          expect(updated.map((v) => bucketsOwned(v.ranges))).toEqual(next.map((w) => w * 100));
          // A bucket may only change hands from a variant that shrank to one that grew: growers only gain,
          // shrinkers only lose, unchanged variants keep exactly their buckets.
          const oldSizes = current.map((v) => bucketsOwned(v.ranges));
          const before = owners(current);
          const after = owners(updated);
          let badMoves = 0;
          for (let b = 0; b < 10_000; b++) {
            const from = before[b]!;
            const to = after[b]!;
            if (from !== to && !(next[from]! * 100 < oldSizes[from]! && next[to]! * 100 > oldSizes[to]!)) badMoves++;
          }
          expect(badMoves).toBe(0);
          current = updated;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps ranges merged, so the layout stays compact over many ramps', () => {
    fc.assert(
      fc.property(scenario, ([initial, ramps]) => {
        let current = initialAllocation(keyed(initial));
        for (const next of ramps) current = rebalance(current, keyed(next));
        // isValidAllocation rejects adjacent (unmerged) ranges; the bound is loose but catches fragmentation blow-ups.
        expect(isValidAllocation(current)).toBe(true);
        const pieces = current.reduce((n, v) => n + v.ranges.length, 0);
        expect(pieces).toBeLessThanOrEqual(current.length * (ramps.length + 1));
      }),
      { numRuns: 300 },
    );
  });
});

describe('isValidAllocation', () => {
  it('spots gaps, overlaps, unmerged and fractional-percent ranges', () => {
    expect(isValidAllocation(initialAllocation(keyed([50, 50])))).toBe(true);
    expect(
      isValidAllocation([
        { key: 'A', ranges: [[0, 5000]] },
        { key: 'B', ranges: [[5001, 10000]] },
      ]),
    ).toBe(false);
    expect(
      isValidAllocation([
        { key: 'A', ranges: [[0, 5001]] },
        { key: 'B', ranges: [[5000, 10000]] },
      ]),
    ).toBe(false);
    expect(
      isValidAllocation([
        {
          key: 'A',
          ranges: [
            [0, 2500],
            [2500, 5000],
          ],
        },
        { key: 'B', ranges: [[5000, 10000]] },
      ]),
    ).toBe(false);
    expect(
      isValidAllocation([
        { key: 'A', ranges: [[0, 5050]] },
        { key: 'B', ranges: [[5050, 10000]] },
      ]),
    ).toBe(false);
  });
});
