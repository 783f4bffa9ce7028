/** The pure parts of metrics: the latency sketch's 1% bound (property-tested) and exact money. */
import fc from 'fast-check';
import { costOfTokens, decimalToNano, nanoToDecimal, usdToNano } from '../../src/metrics/cost';
import { bucketOf, mergeHistograms, quantiles, type Histogram } from '../../src/metrics/latency-sketch';
import { exactQuantile } from './helpers';

const sketch = (xs: number[]): Histogram => {
  const h: Histogram = {};
  for (const x of xs) h[bucketOf(x)] = (h[bucketOf(x)] ?? 0) + 1;
  return h;
};

test('quantiles from merged sketches are within 1% of the exact nearest-rank value', () => {
  const latency = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3_600_000, noNaN: true }), fc.integer({ min: 1, max: 5000 }));
  fc.assert(
    fc.property(
      fc.array(fc.array(latency, { minLength: 1, maxLength: 60 }), { minLength: 1, maxLength: 5 }),
      fc.constantFrom(0, 0.01, 0.5, 0.9, 0.95, 0.99, 1),
      (parts, q) => {
        const all = parts.flat();
        const [got] = quantiles(mergeHistograms(parts.map(sketch)), [q]);
        const exact = exactQuantile(all, q);
        return Math.abs(got! - exact) <= exact * 0.01 + 1e-12;
      },
    ),
    { numRuns: 500 },
  );
});

test('an empty sketch has no quantiles', () => {
  expect(quantiles(new Map(), [0.5])).toEqual([null]);
});

test('money is exact: decimals, token × price products and rounding to the nano-dollar', () => {
  expect(decimalToNano('12.5')).toBe(12_500_000_000n);
  expect(decimalToNano('0.0000000015')).toBe(2n); // half up at the 10th decimal
  expect(nanoToDecimal(1_000_000_001n)).toBe('1.000000001');
  expect(usdToNano(0.1)).toBe(100_000_000n);
  const price = { inputNano: decimalToNano('3'), outputNano: decimalToNano('15') };
  expect(costOfTokens(price, { input: 1, output: 0, total: null })).toBe(3000n); // $0.000003
  expect(costOfTokens(price, { input: 1234, output: 567, total: 1801 })).toBe(12_207_000n);
  expect(costOfTokens(price, { input: null, output: null, total: 1000 })).toBe(3_000_000n);
  expect(costOfTokens(price, { input: null, output: null, total: null })).toBeNull();
  fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 17n }), (n) => decimalToNano(nanoToDecimal(n)) === n));
});
