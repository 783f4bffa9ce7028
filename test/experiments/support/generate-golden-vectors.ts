/**
 * Regenerates test/fixtures/ab-golden-vectors.json from the current implementation. Run ONCE, deliberately:
 *   npx tsx test/experiments/support/generate-golden-vectors.ts
 * The committed file is the contract with the client library; regenerating it after a change to the hash or to
 * rebalance() would silently move every running experiment's subjects, so the golden test must fail first.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assignVariant, bucketOf, initialAllocation, rebalance, variantKey, type Allocation } from '../../../src/experiments/pure';
import { mulberry32 } from './random';

const keyed = (weights: number[]) => weights.map((weight, i) => ({ key: variantKey(i), weight }));

interface Setup {
  weights: number[];
  rampedFrom?: number[];
}

const SETUPS: Setup[] = [
  { weights: [50, 50] },
  { weights: [10, 30, 60] },
  { weights: [1, 99] },
  { weights: [34, 33, 33] },
  { weights: [25, 25, 25, 25] },
  { weights: [10, 10, 10, 10, 10, 10, 10, 10, 10, 10] },
  { weights: [5, 5, 10, 10, 10, 10, 10, 10, 10, 20] },
  { weights: [1, 1, 1, 1, 1, 1, 1, 1, 1, 91] },
  { weights: [20, 80], rampedFrom: [50, 50] },
  { weights: [40, 0, 60], rampedFrom: [10, 30, 60] },
  { weights: [20, 40, 40], rampedFrom: [34, 33, 33] },
];

const SALTS = ['exp-1', 'checkout-prompt-v2:2024-06', '4f9c2a1e-7d3b-4c55-9a0e-1b2c3d4e5f60', '', 'expérience-été'];

function hex(random: () => number, digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) s += Math.floor(random() * 16).toString(16);
  return s;
}

function requestIds(): { id: string; note?: string }[] {
  const random = mulberry32(0xab7e57);
  const ids: { id: string; note?: string }[] = [
    { id: '', note: 'empty id is hashed like any other string' },
    { id: ' ', note: 'a single space' },
    { id: '0' },
    { id: '1' },
    { id: 'a' },
    { id: 'ab' },
    { id: 'abc' },
    { id: 'abcd', note: 'exactly one 4-byte block with the salt separator' },
    { id: 'user:42', note: 'contains the separator' },
    { id: '\t\n', note: 'control characters' },
    { id: '\u0000', note: 'NUL byte' },
    { id: 'élève', note: 'NFC: U+00E9, 2 bytes each; no Unicode normalisation is applied' },
    { id: 'e\u0301le\u0300ve', note: 'NFD form of the previous id: different bytes, different bucket' },
    { id: 'ユーザー123', note: '3-byte UTF-8' },
    { id: '用户-😀', note: '4-byte UTF-8 (astral plane)' },
    { id: 'مستخدم', note: 'right-to-left script' },
    { id: 'Пользователь' },
    { id: '\ud800x', note: 'lone surrogate: TextEncoder writes U+FFFD (EF BF BD)' },
    { id: 'x'.repeat(1000), note: 'long id: 1000 bytes' },
    { id: '🎉'.repeat(300), note: 'long id: 1200 bytes' },
  ];
  for (let i = 0; i < 12; i++) {
    ids.push({ id: `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-a${hex(random, 3)}-${hex(random, 12)}` });
    ids.push({ id: `req_${Math.floor(random() * 1e9)}` });
  }
  return ids;
}

const cases: Record<string, unknown>[] = [];
const ids = requestIds();
let n = 0;
for (const setup of SETUPS) {
  const allocation: Allocation = setup.rampedFrom
    ? rebalance(initialAllocation(keyed(setup.rampedFrom)), keyed(setup.weights))
    : initialAllocation(keyed(setup.weights));
  // Cycle through all ids, and through the salts once per pass over the ids: every id meets several salts and
  // several weight sets in ~200 cases, without a full cross product.
  for (let i = 0; i < 18; i++) {
    const { id, note } = ids[n % ids.length]!;
    const salt = SALTS[Math.floor(n / ids.length) % SALTS.length]!;
    n++;
    const key = assignVariant(allocation, salt, id);
    cases.push({
      salt,
      requestId: id,
      bucket: bucketOf(salt, id),
      weights: setup.weights,
      ...(setup.rampedFrom ? { rampedFrom: setup.rampedFrom } : {}),
      allocation: allocation.map((v) => v.ranges),
      variantIndex: allocation.findIndex((v) => v.key === key),
      key,
      ...(note ? { note } : {}),
    });
  }
}

const file = {
  description:
    'Golden vectors for A/B variant assignment. bucket = murmur3_x86_32(UTF-8 bytes of salt + ":" + requestId, seed 0), ' +
    'read as unsigned 32-bit, mod 10000. No Unicode normalisation; lone surrogates encode as U+FFFD. ' +
    'allocation[i] lists the half-open bucket ranges [start, end) of variant i (key "A" + i; A is the control); ' +
    'the variant is the one whose range contains the bucket. Initial allocations are contiguous ranges in variant ' +
    'order (weight w owns w*100 buckets); cases with rampedFrom were rebalanced from that initial allocation.',
  hash: { algorithm: 'murmur3_x86_32', seed: 0, input: 'utf8(salt + ":" + requestId)', buckets: 10000 },
  cases,
};
const target = join(__dirname, '..', '..', 'fixtures', 'ab-golden-vectors.json');
// One case per line: readable, and a diff shows exactly which cases changed.
const { cases: _cases, ...header } = file;
const head = JSON.stringify(header, null, 2).replace(/\n}$/, '');
writeFileSync(target, `${head},\n  "cases": [\n${cases.map((c) => `    ${JSON.stringify(c)}`).join(',\n')}\n  ]\n}\n`);
console.log(`wrote ${cases.length} cases to ${target}`);
