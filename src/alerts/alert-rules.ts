/**
 * Alert rules (pure): the value a metric reads from rollup metrics, whether it breaches the
 * threshold (quality fires BELOW it, everything else above), and the state change that follows — at
 * most one per minimum interval, so a value hovering at the threshold cannot flap.
 */
import type { VersionMetrics } from '../metrics/summarize';

export const ALERT_METRICS = ['DAILY_COST', 'CALLS', 'ERROR_RATE', 'P95_LATENCY', 'QUALITY_SCORE'] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

/** Defaults: cost over a day, calls over an hour, the rest over an hour. */
export const DEFAULT_WINDOW_MINUTES: Record<AlertMetric, number> = { DAILY_COST: 1440, CALLS: 60, ERROR_RATE: 60, P95_LATENCY: 60, QUALITY_SCORE: 60 };

export function valueOf(metric: AlertMetric, m: VersionMetrics): number | null {
  switch (metric) {
    case 'DAILY_COST':
      return m.totalCost;
    case 'CALLS':
      return m.totalCalls;
    case 'ERROR_RATE':
      return m.successRate === null ? null : 1 - m.successRate;
    case 'P95_LATENCY':
      return m.p95LatencyMs;
    case 'QUALITY_SCORE':
      return m.qualityScore;
  }
}

/** No data never breaches: an alert on a prompt without calls is OK. */
export function breaches(metric: AlertMetric, value: number | null, threshold: number): boolean {
  if (value === null) return false;
  return metric === 'QUALITY_SCORE' ? value < threshold : value > threshold;
}

export type Transition = 'fire' | 'resolve' | null;

export function transition(state: 'OK' | 'FIRING', breached: boolean, lastChangedAt: Date | null, now: number, minIntervalMs: number): Transition {
  const wanted: Transition = state === 'OK' && breached ? 'fire' : state === 'FIRING' && !breached ? 'resolve' : null;
  if (!wanted) return null;
  if (lastChangedAt && now - lastChangedAt.getTime() < minIntervalMs) return null; // hold: no flapping storm
  return wanted;
}
