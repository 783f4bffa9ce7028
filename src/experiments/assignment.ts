/** Deterministic assignment of requests to A/B variants: the documented bucket hash and the bucket → variant lookup. */
import type { Allocation } from './allocation';
import { BUCKET_COUNT, variantForBucket } from './allocation';
import { murmur3x86_32, utf8 } from './hash';

/**
 * The bucket (0..9999) of a request in an experiment:
 *
 *   bucketOf(salt, requestId) = murmur3_x86_32(utf8(salt + ":" + requestId), seed 0) mod 10000
 *
 * with the 32-bit hash read as UNSIGNED. `salt` is per experiment, so one request id lands in independent buckets in
 * different experiments. 2^32 mod 10000 = 7296, so the lowest 7,296 buckets are 1 + 1/429,496 times as likely as the
 * others — a bias of 2.3e-6, far below anything a test can see. Pure JS over UTF-8 bytes: identical in Node and
 * browsers. `test/fixtures/ab-golden-vectors.json` pins it down for other implementations.
 */
export function bucketOf(salt: string, requestId: string): number {
  return murmur3x86_32(utf8(`${salt}:${requestId}`), 0) % BUCKET_COUNT;
}

/**
 * The variant key for a request. With a request id (any string, the empty string included) the answer is
 * deterministic: same salt, id and allocation → same key, everywhere. Without one (null/undefined) a bucket is drawn
 * with `random()` (in [0, 1)), so such calls are spread by the weights but not sticky.
 */
export function assignVariant(allocation: Allocation, salt: string, requestId: string | null | undefined, random: () => number = Math.random): string {
  const bucket =
    requestId === null || requestId === undefined ? Math.min(BUCKET_COUNT - 1, Math.max(0, Math.floor(random() * BUCKET_COUNT))) : bucketOf(salt, requestId);
  return variantForBucket(allocation, bucket);
}
