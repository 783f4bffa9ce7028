/** Bucket allocations of an experiment: which half-open bucket ranges each variant owns, and ramping them without moving growers. */
import { BadInputError } from '../errors';

/** Buckets per experiment; a weight of w percent owns w * 100 of them. */
export const BUCKET_COUNT = 10_000;
export const BUCKETS_PER_PERCENT = BUCKET_COUNT / 100;

/** Half-open range [start, end) of buckets, 0 ≤ start < end ≤ 10000. */
export type BucketRange = readonly [start: number, end: number];

export interface VariantAllocation {
  key: string;
  /** Sorted, disjoint, non-adjacent (merged), non-empty ranges; empty list for a weight-0 variant. */
  ranges: BucketRange[];
}

/** Every bucket 0..9999 owned by exactly one variant; the first variant is the control. Plain JSON, storable as is. */
export type Allocation = VariantAllocation[];

export interface WeightedKey {
  key: string;
  /** Integer percentage. */
  weight: number;
}

/** Contiguous ranges in input order: A gets [0, wA*100), B the next wB*100 buckets, and so on. */
export function initialAllocation(variants: readonly WeightedKey[]): Allocation {
  checkWeightTotal(variants);
  let start = 0;
  return variants.map(({ key, weight }) => {
    const end = start + weight * BUCKETS_PER_PERCENT;
    const ranges: BucketRange[] = end > start ? [[start, end]] : [];
    start = end;
    return { key, ranges };
  });
}

/** Number of buckets a variant owns. */
export function bucketsOwned(ranges: readonly BucketRange[]): number {
  let total = 0;
  for (const [start, end] of ranges) total += end - start;
  return total;
}

/**
 * Ramp to new weights over the same variant keys. Invariant that makes ramps safe for running tests: a variant whose
 * share grows only GAINS buckets, so every subject already in it stays; a shrinking variant gives up buckets from the
 * END of its ranges (its last ranges first), and only its subjects move. Freed ranges are pooled in bucket order and
 * handed to the growing variants in variant order. Unchanged variants keep their ranges exactly.
 */
export function rebalance(allocation: Allocation, newWeights: readonly WeightedKey[]): Allocation {
  checkWeightTotal(newWeights);
  const target = new Map<string, number>();
  for (const { key, weight } of newWeights) target.set(key, weight * BUCKETS_PER_PERCENT);
  if (target.size !== newWeights.length || target.size !== allocation.length || allocation.some((v) => !target.has(v.key))) {
    throw new BadInputError('variants', 'A ramp must list exactly the experiment’s existing variants, each once.');
  }

  const freed: [number, number][] = [];
  const kept = allocation.map(({ key, ranges }) => {
    let excess = bucketsOwned(ranges) - target.get(key)!;
    const own = ranges.map(([s, e]) => [s, e] as [number, number]);
    while (excess > 0) {
      const last = own[own.length - 1]!;
      const take = Math.min(excess, last[1] - last[0]);
      freed.push([last[1] - take, last[1]]);
      last[1] -= take;
      if (last[1] === last[0]) own.pop();
      excess -= take;
    }
    return { key, ranges: own };
  });

  freed.sort((x, y) => x[0] - y[0]);
  const pool = mergeRanges(freed);
  let p = 0;
  return kept.map(({ key, ranges }) => {
    let deficit = target.get(key)! - bucketsOwned(ranges);
    while (deficit > 0) {
      const piece = pool[p]!; // the pool holds exactly the sum of the deficits
      const take = Math.min(deficit, piece[1] - piece[0]);
      ranges.push([piece[0], piece[0] + take]);
      piece[0] += take;
      if (piece[0] === piece[1]) p++;
      deficit -= take;
    }
    ranges.sort((x, y) => x[0] - y[0]);
    return { key, ranges: mergeRanges(ranges) };
  });
}

/** Merge sorted ranges that touch or overlap, so an allocation stays compact through many ramps. */
function mergeRanges(sorted: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  for (const [start, end] of sorted) {
    if (end <= start) continue;
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** The key of the variant owning `bucket`; throws if the allocation does not cover it (a corrupt allocation). */
export function variantForBucket(allocation: Allocation, bucket: number): string {
  for (const { key, ranges } of allocation) {
    for (const [start, end] of ranges) if (bucket >= start && bucket < end) return key;
  }
  throw new RangeError(`bucket ${bucket} is not covered by the allocation`);
}

/** The integer weights (percent) an allocation encodes, in variant order. */
export function weightsOf(allocation: Allocation): WeightedKey[] {
  return allocation.map(({ key, ranges }) => ({ key, weight: bucketsOwned(ranges) / BUCKETS_PER_PERCENT }));
}

/** Structural check for stored or received allocations: merged ranges, whole-percent sizes, a partition of 0..9999. */
export function isValidAllocation(allocation: Allocation): boolean {
  const owners = new Uint8Array(BUCKET_COUNT);
  for (const { ranges } of allocation) {
    let previousEnd = -1;
    for (const [start, end] of ranges) {
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > BUCKET_COUNT || start >= end) return false;
      if (start <= previousEnd) return false; // unsorted, overlapping or adjacent (unmerged)
      previousEnd = end;
      for (let b = start; b < end; b++) {
        if (owners[b] !== 0) return false;
        owners[b] = 1;
      }
    }
    if (bucketsOwned(ranges) % BUCKETS_PER_PERCENT !== 0) return false;
  }
  return owners.every((o) => o === 1);
}

function checkWeightTotal(variants: readonly WeightedKey[]): void {
  let sum = 0;
  variants.forEach(({ weight }, i) => {
    if (!Number.isInteger(weight) || weight < 0 || weight > 100) {
      throw new BadInputError(`variants.${i}.weight`, 'A weight must be an integer percentage from 0 to 100.');
    }
    sum += weight;
  });
  if (sum !== 100) throw new BadInputError('variants', `The weights must add up to 100; they add up to ${sum}.`);
}
