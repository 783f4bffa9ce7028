/**
 * Metrics rows → chart series and change markers (pure): a UTC day grid over the chosen range, one
 * series per version (0 for counts on a day without calls, null for rates), and a marker for every
 * label move and every model change in the range, so a chart shows whether the prompt or the model changed.
 */

export const DAY_MS = 86_400_000;
export const RANGES = [7, 30, 90] as const;
export type RangeDays = (typeof RANGES)[number];

export function parseRange(value: string | null): RangeDays {
  const n = Number(value);
  return (RANGES as readonly number[]).includes(n) ? (n as RangeDays) : 7;
}

/** Start of the UTC day holding `ms`. */
export function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** The UTC day starts of the last `days` days, today last. */
export function dayGrid(days: number, now: number): number[] {
  const today = utcDay(now);
  return Array.from({ length: days }, (_, i) => today - (days - 1 - i) * DAY_MS);
}

/** What a row of `metrics(groupBy: [VERSION], bucket: DAY)` holds that the charts use. */
export type VersionDayRow = {
  versionId?: string | null;
  versionNumber?: number | null;
  bucketStart?: string | null;
  totalCalls: number;
  successRate?: number | null;
  p50LatencyMs?: number | null;
  p95LatencyMs?: number | null;
  p99LatencyMs?: number | null;
  inputTokens: number;
  outputTokens: number;
  qualityScore?: number | null;
  totalCost: number;
};

export type Series = { key: string; label: string; values: (number | null)[] };

export type Measure = {
  /** The value of one version's day; `null` when there is nothing to show. */
  value(row: VersionDayRow): number | null;
  /** What a day without calls shows: 0 for counts and sums, null for rates and latencies. */
  empty: 0 | null;
};

export const MEASURES = {
  calls: { value: (r) => r.totalCalls, empty: 0 },
  successRate: { value: (r) => r.successRate ?? null, empty: null },
  p50: { value: (r) => r.p50LatencyMs ?? null, empty: null },
  p95: { value: (r) => r.p95LatencyMs ?? null, empty: null },
  p99: { value: (r) => r.p99LatencyMs ?? null, empty: null },
  tokens: { value: (r) => r.inputTokens + r.outputTokens, empty: 0 },
  quality: { value: (r) => r.qualityScore ?? null, empty: null },
  cost: { value: (r) => r.totalCost, empty: 0 },
} satisfies Record<string, Measure>;

export type MeasureName = keyof typeof MEASURES;

/** The measure with days without calls left empty (a gap in a chart's line rather than a drop to 0). */
export function withGaps(measure: Measure): Measure {
  return { ...measure, empty: null };
}

/** The versions that have calls in the rows, oldest number first. */
export function versionsInRows(rows: VersionDayRow[]): { id: string; number: number }[] {
  const seen = new Map<string, number>();
  for (const r of rows) if (r.versionId && r.versionNumber != null) seen.set(r.versionId, r.versionNumber);
  return [...seen].map(([id, number]) => ({ id, number })).sort((a, b) => a.number - b.number);
}

/** One series per version over the day grid, named by `name` (e.g. "v3 · gpt-4o-mini"). */
export function versionSeries(
  rows: VersionDayRow[],
  days: number[],
  measure: Measure,
  name: (v: { id: string; number: number }) => string = (v) => `v${v.number}`,
  keySuffix = '',
): Series[] {
  const index = new Map(days.map((d, i) => [d, i]));
  return versionsInRows(rows).map((v) => {
    const values: (number | null)[] = days.map(() => measure.empty);
    for (const r of rows) {
      if (r.versionId !== v.id || !r.bucketStart) continue;
      const i = index.get(utcDay(Date.parse(r.bucketStart)));
      if (i !== undefined) values[i] = measure.value(r);
    }
    return { key: `${v.id}${keySuffix}`, label: name(v), values };
  });
}

export type Marker = { at: number; kind: 'label' | 'model'; text: string };

type VersionRef = { id: string; number: number; model?: string | null } | null | undefined;
export type Move = { label: string; at: string; fromVersion?: VersionRef; toVersion?: VersionRef };

/**
 * A marker per label move in [from, to) ("production → v5"), and a model-change marker where a move
 * of `modelLabel` changed the model its traffic is served with ("model gpt-4o → gpt-4o-mini"),
 * oldest first. `models` gives each version's model by id (the moves may carry only ids and numbers).
 */
export function changeMarkers(moves: Move[], models: Map<string, string>, modelLabel: string, from: number, to: number): Marker[] {
  const markers: Marker[] = [];
  const modelOf = (v: VersionRef) => (v ? (v.model ?? models.get(v.id) ?? null) : null);
  for (const m of [...moves].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    const at = Date.parse(m.at);
    if (!(at >= from && at < to)) continue;
    markers.push({ at, kind: 'label', text: m.toVersion ? `${m.label} → v${m.toVersion.number}` : `${m.label} removed` });
    if (m.label !== modelLabel) continue;
    const before = modelOf(m.fromVersion);
    const after = modelOf(m.toVersion);
    if (before && after && before !== after) markers.push({ at, kind: 'model', text: `model ${before} → ${after}` });
  }
  return markers;
}

/** The markers that fall on the bucket starting at `start` (of length `size`). */
export function markersIn(markers: Marker[], start: number, size: number): Marker[] {
  return markers.filter((m) => m.at >= start && m.at < start + size);
}

/** Sums over the whole range, for the summary line. */
export function rangeTotals(rows: VersionDayRow[]): { calls: number; successes: number; cost: number; tokens: number } {
  let calls = 0;
  let successes = 0;
  let cost = 0;
  let tokens = 0;
  for (const r of rows) {
    calls += r.totalCalls;
    successes += (r.successRate ?? 0) * r.totalCalls;
    cost += r.totalCost;
    tokens += r.inputTokens + r.outputTokens;
  }
  return { calls, successes: Math.round(successes), cost, tokens };
}

/** The ISO week (Monday 00:00 UTC) holding `ms`; the epoch was a Thursday. */
export function utcWeek(ms: number): number {
  return Math.floor((ms + 3 * DAY_MS) / (7 * DAY_MS)) * 7 * DAY_MS - 3 * DAY_MS;
}

/** The week starts from the week holding `from` to this week. */
export function weekGrid(from: number, now: number): number[] {
  const weeks: number[] = [];
  for (let w = utcWeek(from); w <= now; w += 7 * DAY_MS) weeks.push(w);
  return weeks;
}
