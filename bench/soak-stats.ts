/**
 * Pure parts of bench:soak: the least-squares slope of memory samples, the per-minute rows, and the
 * flatness verdict. A soak passes when memory shows no growth trend after warm-up: the slope over the
 * samples is under a bar (MB per minute) and the last minute is within a margin of the post-warm-up
 * minimum (a slope alone can hide a late step). The heap judged is what is left after major
 * collections when the server reports it for every sample after warm-up (heap used between
 * collections climbs with garbage until the next one: a sawtooth minutes wide), else heap used.
 */

/** One scrape of the server's /metrics. `at` is minutes since the measurement began. */
export type MemorySample = { at: number; rssMb: number; heapMb: number; heapAfterGcMb: number | null; loopP99Ms: number };

/** Least-squares slope of y over x; 0 for fewer than two distinct x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

/** One minute's counts; `ticks` is how many ticks fell due in it (served or skipped). */
export type MinuteCounts = { ok: number; errors: number; events: number; skippedTicks: number; ticks: number };
export type MinuteRow = MinuteCounts & { minute: number; rssMb: number; heapMb: number; heapAfterGcMb: number; loopP99Ms: number; samples: number };

/**
 * Minute m holds the samples taken in (m-1, m] minutes: RSS and heap are their mean (heap used is a GC
 * sawtooth, a mean is steadier than one point; after-GC: of the samples that have it, else NaN), the
 * event-loop p99 the worst of its windows.
 */
export function minuteRows(samples: readonly MemorySample[], counts: readonly MinuteCounts[]): MinuteRow[] {
  return counts.map((c, i) => {
    const minute = i + 1;
    const inMinute = samples.filter((s) => s.at > minute - 1 && s.at <= minute);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((t, x) => t + x, 0) / xs.length : NaN);
    return {
      minute,
      ...c,
      rssMb: mean(inMinute.map((s) => s.rssMb)),
      heapMb: mean(inMinute.map((s) => s.heapMb)),
      heapAfterGcMb: mean(inMinute.flatMap((s) => (s.heapAfterGcMb === null ? [] : [s.heapAfterGcMb]))),
      loopP99Ms: inMinute.length ? Math.max(...inMinute.map((s) => s.loopP99Ms)) : NaN,
      samples: inMinute.length,
    };
  });
}

export type Bars = { heapSlopeMbPerMin: number; rssSlopeMbPerMin: number; lastHeapOverMin: number };
export const DEFAULT_BARS: Bars = { heapSlopeMbPerMin: 1, rssSlopeMbPerMin: 2, lastHeapOverMin: 0.2 };

export type Verdict = {
  /** Which heap figure was judged. */
  heapSeries: 'after major GC' | 'used';
  heapSlope: number;
  rssSlope: number;
  /** Last minute's heap over the lowest post-warm-up minute's, minus 1 (0.05 = 5 % above). */
  lastHeapOverMin: number;
  /** False when the run had too few minutes after warm-up for the memory bars to mean anything. */
  judged: boolean;
  failures: string[];
};

/** Fewer minutes after warm-up than this: the GC sawtooth outweighs any trend, so memory is reported but not judged. */
export const MIN_JUDGED_MINUTES = 3;

/** Flatness after `warmupMinutes`, plus the run's own health: no errors, no missed events, and the rate held after warm-up. */
export function verdict(
  samples: readonly MemorySample[],
  rows: readonly MinuteRow[],
  warmupMinutes: number,
  health: { errors: number; missedEvents: number },
  bars: Bars = DEFAULT_BARS,
): Verdict {
  const after = samples.filter((s) => s.at > warmupMinutes);
  const afterGc = after.length > 0 && after.every((s) => s.heapAfterGcMb !== null);
  const heapSeries = afterGc ? 'after major GC' : 'used';
  const heapOf = (s: MemorySample) => (afterGc ? s.heapAfterGcMb! : s.heapMb);
  const rowHeap = (r: MinuteRow) => (afterGc ? r.heapAfterGcMb : r.heapMb);
  const heapSlope = slope(after.map((s) => ({ x: s.at, y: heapOf(s) })));
  const rssSlope = slope(after.map((s) => ({ x: s.at, y: s.rssMb })));
  const post = rows.filter((r) => r.minute > warmupMinutes && r.samples > 0);
  const minHeap = Math.min(...post.map(rowHeap));
  const lastHeapOverMin = post.length ? rowHeap(post[post.length - 1]!) / minHeap - 1 : NaN;
  const failures: string[] = [];
  const judged = post.length >= MIN_JUDGED_MINUTES;
  if (judged) {
    if (heapSlope >= bars.heapSlopeMbPerMin) failures.push(`heap (${heapSeries}) grows ${heapSlope.toFixed(2)} MB/min (bar < ${bars.heapSlopeMbPerMin})`);
    if (rssSlope >= bars.rssSlopeMbPerMin) failures.push(`RSS grows ${rssSlope.toFixed(2)} MB/min (bar < ${bars.rssSlopeMbPerMin})`);
    if (!(lastHeapOverMin <= bars.lastHeapOverMin))
      failures.push(`last minute's heap ${(lastHeapOverMin * 100).toFixed(1)} % over the post-warm-up minimum (bar ≤ ${bars.lastHeapOverMin * 100} %)`);
  }
  if (health.errors > 0) failures.push(`${health.errors} errors`);
  if (health.missedEvents > 0) failures.push(`${health.missedEvents} label moves not received by a subscriber`);
  // A soak that could not hold its rate after warm-up measured a lighter load than it claims.
  const skipped = post.reduce((t, r) => t + r.skippedTicks, 0);
  const ticks = post.reduce((t, r) => t + r.ticks, 0);
  if (skipped > ticks * 0.01) failures.push(`${skipped} of ${ticks} ticks after warm-up skipped (> 1 %): the rate was not held`);
  return { heapSeries, heapSlope, rssSlope, lastHeapOverMin, judged, failures };
}
