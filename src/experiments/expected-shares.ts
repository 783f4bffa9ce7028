/**
 * Expected traffic shares of a ramped test, for the sample-ratio-mismatch check (pure). After a ramp the
 * accumulated arm sizes follow neither the old nor the new weights: each hour's calls are expected to
 * split by the weights in force during that hour (time-weighted within the hour of a ramp).
 */
import type { ABWeightPeriod } from '../db/schema';

const HOUR_MS = 3_600_000;

/** The time-weighted average weights over [from, to); the first period's when the window precedes them all. */
function weightsDuring(periods: readonly { start: number; end: number; weights: number[] }[], from: number, to: number, k: number): number[] {
  const out = new Array<number>(k).fill(0);
  let covered = 0;
  for (const p of periods) {
    const overlap = Math.min(to, p.end) - Math.max(from, p.start);
    if (overlap <= 0) continue;
    covered += overlap;
    p.weights.forEach((w, i) => (out[i]! += w * overlap));
  }
  if (covered === 0) return [...(periods[0]?.weights ?? out)];
  return out.map((w) => w / covered);
}

/**
 * Σ over hours of (calls in the hour × share of each variant then): a scale-free expected weight per
 * variant. Without any ramp this is just the weights. `hours` are the rollup hours (ms) with their calls.
 */
export function expectedShares(
  history: readonly ABWeightPeriod[],
  endedAt: Date | null,
  hours: readonly { hour: number; calls: number }[],
  k: number,
): number[] {
  const periods = history.map((p, i) => ({
    start: Date.parse(p.at),
    end: i + 1 < history.length ? Date.parse(history[i + 1]!.at) : (endedAt?.getTime() ?? Number.POSITIVE_INFINITY),
    weights: p.weights,
  }));
  if (periods.length <= 1 || hours.length === 0) return [...(periods[periods.length - 1]?.weights ?? new Array<number>(k).fill(1))];
  const total = new Array<number>(k).fill(0);
  for (const { hour, calls } of hours) {
    const w = weightsDuring(periods, hour, hour + HOUR_MS, k);
    const sum = w.reduce((a, b) => a + b, 0) || 1;
    w.forEach((x, i) => (total[i]! += (calls * x) / sum));
  }
  return total;
}
