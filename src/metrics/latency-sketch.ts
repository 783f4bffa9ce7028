/**
 * A mergeable latency sketch (DDSketch-style log buckets): every latency falls in bucket
 * ⌈ln(x)/ln γ⌉, whose representative value is within 1% of every value in it, so any quantile read
 * from merged bucket counts is within 1% of the exact one. Pure; the SQL at ingest uses LN_GAMMA too.
 */

/** Relative accuracy of a bucket's representative value (a hair under 1% for floating-point slack). */
export const RELATIVE_ACCURACY = 0.0099;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
export const LN_GAMMA = Math.log(GAMMA);
/** The bucket of a zero latency (ln 0 is undefined). */
export const ZERO_BUCKET = 'z';

/** Bucket index counts: `{"244": 3, "z": 1}`, as stored in `metric_rollups.latency_hist`. */
export type Histogram = Record<string, number>;

export function bucketOf(latencyMs: number): string {
  return latencyMs <= 0 ? ZERO_BUCKET : String(Math.ceil(Math.log(latencyMs) / LN_GAMMA));
}

/** The value reported for a bucket: the point of (γ^(i-1), γ^i] with the least relative error. */
export function bucketValue(bucket: string): number {
  if (bucket === ZERO_BUCKET) return 0;
  return (2 * GAMMA ** Number(bucket)) / (GAMMA + 1);
}

export function mergeHistograms(histograms: Iterable<Histogram | null | undefined>): Map<string, number> {
  const merged = new Map<string, number>();
  for (const h of histograms) {
    if (!h) continue;
    for (const [k, n] of Object.entries(h)) merged.set(k, (merged.get(k) ?? 0) + Number(n));
  }
  return merged;
}

/**
 * Nearest-rank quantile (the value at rank ⌈q·n⌉ of the sorted latencies, like Postgres's
 * percentile_disc), estimated from bucket counts; null when there are none.
 */
export function quantiles(histogram: Map<string, number>, qs: number[]): (number | null)[] {
  const buckets = [...histogram.entries()]
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (a === ZERO_BUCKET ? -Infinity : Number(a)) - (b === ZERO_BUCKET ? -Infinity : Number(b)));
  const total = buckets.reduce((s, [, n]) => s + n, 0);
  return qs.map((q) => {
    if (total === 0) return null;
    const rank = Math.max(1, Math.ceil(q * total));
    let seen = 0;
    for (const [k, n] of buckets) {
      seen += n;
      if (seen >= rank) return bucketValue(k);
    }
    return bucketValue(buckets[buckets.length - 1]![0]);
  });
}
