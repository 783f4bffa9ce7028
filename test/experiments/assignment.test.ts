/** Variant assignment: the documented hash, determinism, uniformity (χ²), independence across salts, golden vectors. */
import golden from '../fixtures/ab-golden-vectors.json';
import {
  assignVariant,
  bucketOf,
  chiSquareSf,
  initialAllocation,
  murmur3x86_32,
  rebalance,
  sampleRatioMismatch,
  utf8,
  variantKey,
  type Allocation,
} from '../../src/experiments/pure';
import { mulberry32 } from './support/random';

const keyed = (weights: number[]) => weights.map((weight, i) => ({ key: variantKey(i), weight }));

function uuid(random: () => number): string {
  const h = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${h(8)}-${h(4)}-4${h(3)}-a${h(3)}-${h(12)}`;
}

describe('murmur3x86_32', () => {
  it.each([
    // Published answers of the reference implementation (SMHasher), seed 0 unless given.
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['hello', 0, 0x248bfa47],
    ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
  ])('%j with seed %p', (text, seed, expected) => {
    expect(murmur3x86_32(utf8(text), seed)).toBe(expected);
  });

  it('covers every tail length (cross-checked against an independent Python implementation)', () => {
    expect(['a', 'ab', 'abc', 'abcd'].map((s) => murmur3x86_32(utf8(s)).toString(16))).toEqual(['3c2569b2', '9bbfd75f', 'b3dd93fa', '43ed676a']);
    expect(murmur3x86_32(utf8('héllo wörld 🎉')).toString(16)).toBe('f40d4af7');
  });
});

describe('bucketOf', () => {
  it('is in 0..9999 and the same on every call', () => {
    const random = mulberry32(1);
    for (let i = 0; i < 2000; i++) {
      const id = uuid(random);
      const b = bucketOf('exp', id);
      expect(Number.isInteger(b) && b >= 0 && b < 10000).toBe(true);
      expect(bucketOf('exp', id)).toBe(b);
    }
  });

  it('hashes salt + ":" + id as UTF-8 without normalisation', () => {
    expect(bucketOf('exp', 'user')).toBe(murmur3x86_32(utf8('exp:user')) % 10000);
    expect(bucketOf('a', 'b:c')).toBe(bucketOf('a:b', 'c')); // the documented concatenation, nothing more
    expect(bucketOf('exp', 'élève')).not.toBe(bucketOf('exp', 'e\u0301le\u0300ve'));
  });
});

describe('assignVariant', () => {
  const allocation = initialAllocation(keyed([10, 30, 60]));

  it('gives the same request id the same variant every time', () => {
    for (let i = 0; i < 1000; i++) {
      const first = assignVariant(allocation, 'salt-1', `req-${i}`);
      for (let r = 0; r < 3; r++) expect(assignVariant(allocation, 'salt-1', `req-${i}`, () => 0.5)).toBe(first);
    }
  });

  it('draws a bucket from random() without a request id', () => {
    expect(assignVariant(allocation, 's', null, () => 0)).toBe('A');
    expect(assignVariant(allocation, 's', undefined, () => 0.0999)).toBe('A');
    expect(assignVariant(allocation, 's', null, () => 0.1)).toBe('B');
    expect(assignVariant(allocation, 's', null, () => 0.99999999)).toBe('C');
  });

  function countsOver(alloc: Allocation, salt: string, ids: Iterable<string>): number[] {
    const counts = alloc.map(() => 0);
    const index = new Map(alloc.map((v, i) => [v.key, i]));
    for (const id of ids) counts[index.get(assignVariant(alloc, salt, id))!]!++;
    return counts;
  }

  function* sequentialIds(n: number): Generator<string> {
    for (let i = 0; i < n; i++) yield `req-${i}`;
  }

  function* uuids(n: number, seed: number): Generator<string> {
    const random = mulberry32(seed);
    for (let i = 0; i < n; i++) yield uuid(random);
  }

  it('splits 100,000 sequential ids 50/50 (χ² p > 0.001)', () => {
    const counts = countsOver(initialAllocation(keyed([50, 50])), 'exp-5050', sequentialIds(100_000));
    const p = sampleRatioMismatch(counts, [50, 50]);
    console.log(`50/50 over 100,000 ids: ${counts.join(' / ')}, χ² p = ${p.toFixed(3)}`);
    expect(p).toBeGreaterThan(0.001);
  });

  it('splits 100,000 random UUIDs 10/30/60 (χ² p > 0.001)', () => {
    const counts = countsOver(allocation, 'exp-103060', uuids(100_000, 2));
    const p = sampleRatioMismatch(counts, [10, 30, 60]);
    console.log(`10/30/60 over 100,000 ids: ${counts.join(' / ')}, χ² p = ${p.toFixed(3)}`);
    expect(p).toBeGreaterThan(0.001);
  });

  it('assigns independently under two different salts (χ² test of the 2×2 joint table, p > 0.001)', () => {
    const half = initialAllocation(keyed([50, 50]));
    const table = [
      [0, 0],
      [0, 0],
    ];
    for (let i = 0; i < 100_000; i++) {
      const x = assignVariant(half, 'experiment-one', `user-${i}`) === 'A' ? 0 : 1;
      const y = assignVariant(half, 'experiment-two', `user-${i}`) === 'A' ? 0 : 1;
      table[x]![y]!++;
    }
    const cell = (r: number, c: number) => table[r]![c]!;
    const rows = [cell(0, 0) + cell(0, 1), cell(1, 0) + cell(1, 1)];
    const cols = [cell(0, 0) + cell(1, 0), cell(0, 1) + cell(1, 1)];
    let chiSquare = 0;
    for (let r = 0; r < 2; r++) {
      for (let c = 0; c < 2; c++) {
        const expected = (rows[r]! * cols[c]!) / 100_000;
        chiSquare += (cell(r, c) - expected) ** 2 / expected;
      }
    }
    const p = chiSquareSf(chiSquare, 1);
    console.log(`joint table across salts: ${JSON.stringify(table)}, χ² = ${chiSquare.toFixed(3)}, p = ${p.toFixed(3)}`);
    expect(p).toBeGreaterThan(0.001);
  });

  it('ramp 50/50 → 20/80: nobody in the growing variant moves; new shares 20/80 ± 1%', () => {
    const before = initialAllocation(keyed([50, 50]));
    const after = rebalance(before, keyed([20, 80]));
    let wasB = 0;
    let movedFromB = 0;
    let nowA = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const id = `subject-${i}`;
      const old = assignVariant(before, 'ramp-test', id);
      const now = assignVariant(after, 'ramp-test', id);
      if (old === 'B') {
        wasB++;
        if (now !== 'B') movedFromB++;
      }
      if (now === 'A') nowA++;
    }
    expect(wasB).toBeGreaterThan(0);
    expect(movedFromB).toBe(0);
    expect(Math.abs(nowA / n - 0.2)).toBeLessThan(0.01);
  });
});

describe('golden vectors (shared with the client library)', () => {
  const cases = golden.cases as {
    salt: string;
    requestId: string;
    bucket: number;
    weights: number[];
    rampedFrom?: number[];
    allocation: [number, number][][];
    variantIndex: number;
    key: string;
  }[];

  it('has ~200 cases with 10-variant and ramped allocations', () => {
    expect(cases.length).toBeGreaterThanOrEqual(190);
    expect(cases.some((c) => c.weights.length === 10)).toBe(true);
    expect(cases.some((c) => c.rampedFrom)).toBe(true);
  });

  it('reproduces every bucket and variant', () => {
    for (const c of cases) {
      const allocation: Allocation = c.allocation.map((ranges, i) => ({ key: variantKey(i), ranges }));
      expect({ id: c.requestId, bucket: bucketOf(c.salt, c.requestId) }).toEqual({ id: c.requestId, bucket: c.bucket });
      expect(assignVariant(allocation, c.salt, c.requestId)).toBe(c.key);
      expect(variantKey(c.variantIndex)).toBe(c.key);
    }
  });

  it('reproduces every allocation from its weights (and ramp)', () => {
    for (const c of cases) {
      const initial = initialAllocation(keyed(c.rampedFrom ?? c.weights));
      const allocation = c.rampedFrom ? rebalance(initial, keyed(c.weights)) : initial;
      expect(allocation.map((v) => v.ranges)).toEqual(c.allocation);
    }
  });
});
