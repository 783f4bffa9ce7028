/**
 * The workspace's spend by prompt (pure): prompts ranked by cost over the range, each with its first and
 * latest day's cost ("$8.00/day → $2.00/day"), and per-bucket series of the top spenders plus the rest.
 */
import { utcWeek, type Series } from './metrics-series';

export type PromptBucketRow = { promptName?: string | null; bucketStart?: string | null; totalCalls: number; totalCost: number };

export type Spender = {
  name: string;
  total: number;
  calls: number;
  /** The earliest and the latest day with calls in the range, and what each cost. */
  first: { day: number; cost: number };
  latest: { day: number; cost: number };
};

/** Prompts by total cost, highest first (ties by name); `rows` are daily buckets. */
export function rankSpenders(rows: PromptBucketRow[]): Spender[] {
  const byName = new Map<string, Spender>();
  for (const r of rows) {
    if (!r.promptName || !r.bucketStart) continue;
    const day = Date.parse(r.bucketStart);
    const s = byName.get(r.promptName) ?? { name: r.promptName, total: 0, calls: 0, first: { day, cost: r.totalCost }, latest: { day, cost: r.totalCost } };
    s.total += r.totalCost;
    s.calls += r.totalCalls;
    if (day < s.first.day) s.first = { day, cost: r.totalCost };
    if (day > s.latest.day) s.latest = { day, cost: r.totalCost };
    byName.set(r.promptName, s);
  }
  return [...byName.values()].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
}

export const OTHERS_KEY = '__others__';

/** One series per top prompt (by the given order) and one for every other prompt together, over `buckets`. */
export function spendSeries(rows: PromptBucketRow[], buckets: number[], top: string[]): Series[] {
  const index = new Map(buckets.map((b, i) => [b, i]));
  const series = top.map((name) => ({ key: name, label: name, values: buckets.map(() => 0) as (number | null)[] }));
  const others: Series = { key: OTHERS_KEY, label: 'all others', values: buckets.map(() => 0) };
  const position = new Map(top.map((n, i) => [n, i]));
  for (const r of rows) {
    if (!r.promptName || !r.bucketStart) continue;
    const i = index.get(Date.parse(r.bucketStart));
    if (i === undefined) continue;
    const target = position.has(r.promptName) ? series[position.get(r.promptName)!]! : others;
    target.values[i] = (target.values[i] ?? 0) + r.totalCost;
  }
  return others.values.some((v) => v) ? [...series, others] : series;
}

/** Daily rows as rows of their ISO week (Monday, UTC): spendSeries sums the days of a week into its bucket. */
export function byWeek<R extends PromptBucketRow>(daily: readonly R[]): R[] {
  return daily.map((r) => (r.bucketStart ? { ...r, bucketStart: new Date(utcWeek(Date.parse(r.bucketStart))).toISOString() } : r));
}
