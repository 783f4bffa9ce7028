/**
 * Metrics reads, always from the hourly rollups (never a scan of raw calls): filter, group by
 * prompt/version/model/variant and optionally by UTC hour, day or ISO week; histograms are merged in JS for
 * the percentiles. Time filters select whole hours: a rollup hour counts when it starts in
 * [from rounded down to the hour, to). The A/B results read a test's rollup rows as they are.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { rowsOf } from '../db/rows';
import { metricRollups, type MetricRollupRow } from '../db/schema';
import type { Histogram } from './latency-sketch';
import { summarize, type RollupSums, type VersionMetrics } from './summarize';

export type MetricsDimension = 'PROMPT' | 'VERSION' | 'MODEL' | 'VARIANT';
export type TimeBucket = 'HOUR' | 'DAY' | 'WEEK';

/** Already validated: ids are UUIDs, names well-formed. */
export type RollupFilter = {
  workspaceId: string;
  promptId?: string | null;
  /** Several prompts at once (batched reads of Prompt.metrics). */
  promptIds?: string[] | null;
  promptName?: string | null;
  versionIds?: string[] | null;
  models?: string[] | null;
  abTestId?: string | null;
  from?: Date | null;
  to?: Date | null;
};

export type MetricsRow = VersionMetrics & {
  promptName: string | null;
  versionId: string | null;
  versionNumber: number | null;
  model: string | null;
  variant: string | null;
  bucketStart: Date | null;
};

const SUMS = sql.raw(`sum(r.calls) AS calls, sum(r.successes) AS successes, sum(r.latency_sum) AS latency_sum,
  sum(r.input_tokens) AS input_tokens, sum(r.output_tokens) AS output_tokens, sum(r.tokens_sum) AS tokens_sum,
  sum(r.tokens_calls) AS tokens_calls, sum(r.quality_count) AS quality_count, sum(r.quality_sum) AS quality_sum,
  sum(r.cost_calls) AS cost_calls, sum(r.cost_sum)::text AS cost_sum, jsonb_agg(r.latency_hist) AS hists`);

function whereOf(f: RollupFilter): SQL {
  const parts: SQL[] = [sql`r.workspace_id = ${f.workspaceId}`];
  if (f.promptId) parts.push(sql`r.prompt_id = ${f.promptId}`);
  if (f.promptIds) parts.push(sql`r.prompt_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(f.promptIds)}::jsonb)::uuid)`);
  if (f.promptName) parts.push(sql`r.prompt_id = (SELECT id FROM prompts WHERE workspace_id = ${f.workspaceId} AND name = ${f.promptName})`);
  if (f.versionIds) parts.push(sql`r.version_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(f.versionIds)}::jsonb)::uuid)`);
  if (f.models) parts.push(sql`r.model IN (SELECT jsonb_array_elements_text(${JSON.stringify(f.models)}::jsonb))`);
  if (f.abTestId) parts.push(sql`r.ab_test_id = ${f.abTestId}`);
  if (f.from) parts.push(sql`r.hour >= date_trunc('hour', ${f.from.toISOString()}::timestamptz, 'UTC')`);
  if (f.to) parts.push(sql`r.hour < ${f.to.toISOString()}::timestamptz`);
  return sql.join(parts, sql` AND `);
}

type GroupedRow = RollupSums & {
  prompt_name?: string;
  version_id?: string;
  version_number?: number;
  model?: string;
  variant?: string | null;
  bucket_start?: Date | string;
};

/** One row per group that has calls; with no grouping and no bucket, exactly one row (zeros when empty). */
export async function queryMetrics(db: Executor, filter: RollupFilter, groupBy: MetricsDimension[], bucket: TimeBucket | null): Promise<MetricsRow[]> {
  const dims = new Set(groupBy);
  const select: SQL[] = [];
  const group: SQL[] = [];
  const joins: SQL[] = [];
  if (dims.has('PROMPT') || dims.has('VERSION')) {
    joins.push(sql`JOIN prompts p ON p.id = r.prompt_id`);
    select.push(sql`p.name AS prompt_name`);
    group.push(sql`p.name`);
  }
  if (dims.has('VERSION')) {
    joins.push(sql`JOIN prompt_versions v ON v.id = r.version_id`);
    select.push(sql`r.version_id AS version_id, v.number AS version_number`);
    group.push(sql`r.version_id, v.number`);
  }
  if (dims.has('MODEL')) {
    select.push(sql`r.model AS model`);
    group.push(sql`r.model`);
  }
  if (dims.has('VARIANT')) {
    select.push(sql`r.variant AS variant`);
    group.push(sql`r.variant`);
  }
  if (bucket) {
    // Postgres' 'week' is the ISO week (Monday first), in UTC by the third argument.
    const unit = sql.raw(bucket === 'WEEK' ? `'week'` : bucket === 'DAY' ? `'day'` : `'hour'`);
    select.push(sql`date_trunc(${unit}, r.hour, 'UTC') AS bucket_start`);
    group.push(sql`date_trunc(${unit}, r.hour, 'UTC')`);
  }
  const query = sql`/* queryMetrics */ SELECT ${sql.join([...select, SUMS], sql`, `)}
FROM metric_rollups r ${sql.join(joins, sql` `)}
WHERE ${whereOf(filter)}
${group.length ? sql`GROUP BY ${sql.join(group, sql`, `)} ORDER BY ${sql.join(group, sql`, `)}` : sql``}`;
  const rows = rowsOf<GroupedRow>(await db.execute(query));
  return rows.map((r) => ({
    ...summarize({ ...r, hists: typeof r.hists === 'string' ? (JSON.parse(r.hists) as Histogram[]) : r.hists }),
    promptName: r.prompt_name ?? null,
    versionId: r.version_id ?? null,
    versionNumber: r.version_number == null ? null : Number(r.version_number),
    model: r.model ?? null,
    variant: r.variant ?? null,
    bucketStart: r.bucket_start == null ? null : new Date(r.bucket_start),
  }));
}

/** All calls matching the filter as one VersionMetrics (zeros when there are none). */
export async function totalMetrics(db: Executor, filter: RollupFilter): Promise<VersionMetrics> {
  const [row] = await queryMetrics(db, filter, [], null);
  const { promptName: _p, versionId: _v, versionNumber: _n, model: _m, variant: _x, bucketStart: _b, ...metrics } = row!;
  return metrics;
}

const EMPTY_SUMS: RollupSums = {
  calls: 0,
  successes: 0,
  latency_sum: 0,
  input_tokens: 0,
  output_tokens: 0,
  tokens_sum: 0,
  tokens_calls: 0,
  quality_count: 0,
  quality_sum: 0,
  cost_calls: 0,
  cost_sum: null,
  hists: null,
};

/**
 * All-time-in-range metrics of many prompts or versions in ONE query (what per-object `metrics` fields
 * batch into when a list asks for them); ids without calls get zeros.
 */
export async function metricsById(db: Executor, filter: RollupFilter, by: 'prompt' | 'version', ids: readonly string[]): Promise<Map<string, VersionMetrics>> {
  const column = sql.raw(by === 'prompt' ? 'r.prompt_id' : 'r.version_id');
  const scoped: RollupFilter = by === 'prompt' ? { ...filter, promptIds: [...ids] } : { ...filter, versionIds: [...ids] };
  const query = sql`/* metricsById */ SELECT ${column} AS id, ${SUMS} FROM metric_rollups r WHERE ${whereOf(scoped)} GROUP BY ${column}`;
  const rows = rowsOf<RollupSums & { id: string }>(await db.execute(query));
  const found = new Map(rows.map((r) => [r.id, summarize({ ...r, hists: typeof r.hists === 'string' ? (JSON.parse(r.hists) as Histogram[]) : r.hists })]));
  return new Map(ids.map((id) => [id, found.get(id) ?? summarize(EMPTY_SUMS)]));
}

/** Every rollup row of one A/B test (its variants' sums per hour and shard), for the test's statistics. */
export async function rollupsOfTest(db: Executor, workspaceId: string, abTestId: string): Promise<MetricRollupRow[]> {
  return db
    .select()
    .from(metricRollups)
    .where(and(eq(metricRollups.workspaceId, workspaceId), eq(metricRollups.abTestId, abTestId)));
}
