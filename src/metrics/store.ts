/**
 * Metrics data access. Ingestion is ONE statement per batch: the raw calls are inserted
 * (`ON CONFLICT (workspace_id, call_id) DO NOTHING`) and, from exactly the rows that went in, the
 * hourly rollups are upserted (sums, sums of squares, the merged latency histogram). One statement
 * is one transaction: a call is never counted without being stored, nor stored without being
 * counted. Rows and rollup keys are written in a fixed order so concurrent batches (on any number
 * of instances) queue on each other instead of deadlocking.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { prompts, promptVersions } from '../db/schema';
import { LN_GAMMA, ZERO_BUCKET } from './latency-sketch';

/** A call as written to `metric_calls` (snake_case: it travels as one jsonb parameter). */
export type CallRow = {
  workspace_id: string;
  call_id: string;
  prompt_id: string;
  version_id: string;
  model: string;
  request_id: string | null;
  run_id: string | null;
  ab_test_id: string | null;
  variant: string | null;
  latency_ms: number;
  input_tokens: number | null;
  output_tokens: number | null;
  tokens_used: number | null;
  success: boolean;
  error_code: string | null;
  quality_score: number | null;
  /** Decimal string with 9 decimals (exact), or null when unknown. */
  cost_usd: string | null;
  /** ISO timestamp. */
  at: string;
  fingerprint: string;
};

/** What a repeat of a call id is compared with and answered from. */
export type StoredCall = { callId: string; versionId: string; abTestId: string | null; variant: string | null; costUsd: string | null; fingerprint: string };

/** Drivers differ: postgres.js returns the rows array, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

const KEY = sql.raw('workspace_id, hour, prompt_id, version_id, model, ab_test_id, variant');
const BUCKET = sql.raw(`CASE WHEN latency_ms <= 0 THEN '${ZERO_BUCKET}' ELSE ceil(ln(latency_ms) / ${LN_GAMMA})::bigint::text END`);

/** Rollup shards: concurrent statements pick one at random, so they rarely queue on one row. */
export const ROLLUP_SHARDS = 8;
const randomShard = () => Math.floor(Math.random() * ROLLUP_SHARDS);

/** Inserts the calls and updates their rollups; returns `workspace_id:call_id` of the rows actually inserted. */
export async function insertCalls(db: Executor, rows: CallRow[], shard = randomShard()): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const result = await db.execute(sql`/* insertCalls */
WITH input AS (
  SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(
    workspace_id uuid, call_id text, prompt_id uuid, version_id uuid, model text, request_id text, run_id text,
    ab_test_id uuid, variant text, latency_ms float8, input_tokens bigint, output_tokens bigint, tokens_used bigint,
    success boolean, error_code text, quality_score float8, cost_usd numeric, at timestamptz, fingerprint text)
), ins AS (
  INSERT INTO metric_calls (workspace_id, call_id, prompt_id, version_id, model, request_id, run_id, ab_test_id, variant,
    latency_ms, input_tokens, output_tokens, tokens_used, success, error_code, quality_score, cost_usd, at, fingerprint)
  SELECT workspace_id, call_id, prompt_id, version_id, model, request_id, run_id, ab_test_id, variant,
    latency_ms, input_tokens, output_tokens, tokens_used, success, error_code, quality_score, cost_usd, at, fingerprint
  FROM input ORDER BY workspace_id, call_id
  ON CONFLICT (workspace_id, call_id) DO NOTHING
  RETURNING call_id, workspace_id, date_trunc('hour', at, 'UTC') AS hour, prompt_id, version_id, model, ab_test_id, variant,
    latency_ms, input_tokens, output_tokens, tokens_used, success, quality_score, cost_usd
), hist AS (
  SELECT ${KEY}, jsonb_object_agg(bucket, n) AS h
  FROM (SELECT ${KEY}, ${BUCKET} AS bucket, count(*) AS n FROM ins GROUP BY ${KEY}, 8) b
  GROUP BY ${KEY}
), agg AS (
  SELECT ${KEY}, count(*) AS calls, count(*) FILTER (WHERE success) AS successes,
    sum(latency_ms) AS latency_sum, sum(latency_ms * latency_ms) AS latency_sq_sum,
    coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
    coalesce(sum(tokens_used), 0) AS tokens_sum, count(tokens_used) AS tokens_calls,
    count(quality_score) AS quality_count, coalesce(sum(quality_score), 0) AS quality_sum,
    coalesce(sum(quality_score * quality_score), 0) AS quality_sq_sum,
    count(cost_usd) AS cost_calls, coalesce(sum(cost_usd), 0) AS cost_sum, coalesce(sum(cost_usd * cost_usd), 0) AS cost_sq_sum
  FROM ins GROUP BY ${KEY}
), roll AS (
  INSERT INTO metric_rollups (workspace_id, hour, prompt_id, version_id, model, ab_test_id, variant, shard, calls, successes,
    latency_sum, latency_sq_sum, latency_hist, input_tokens, output_tokens, tokens_sum, tokens_calls,
    quality_count, quality_sum, quality_sq_sum, cost_calls, cost_sum, cost_sq_sum)
  SELECT a.workspace_id, a.hour, a.prompt_id, a.version_id, a.model, a.ab_test_id, a.variant, ${shard}::smallint, a.calls, a.successes,
    a.latency_sum, a.latency_sq_sum, h.h, a.input_tokens, a.output_tokens, a.tokens_sum, a.tokens_calls,
    a.quality_count, a.quality_sum, a.quality_sq_sum, a.cost_calls, a.cost_sum, a.cost_sq_sum
  FROM agg a JOIN hist h
    ON (a.workspace_id, a.hour, a.prompt_id, a.version_id, a.model, a.ab_test_id, a.variant)
       IS NOT DISTINCT FROM (h.workspace_id, h.hour, h.prompt_id, h.version_id, h.model, h.ab_test_id, h.variant)
  ORDER BY a.workspace_id, a.hour, a.prompt_id, a.version_id, a.model, a.ab_test_id, a.variant
  ON CONFLICT ON CONSTRAINT metric_rollups_key_shard DO UPDATE SET
    calls = metric_rollups.calls + excluded.calls,
    successes = metric_rollups.successes + excluded.successes,
    latency_sum = metric_rollups.latency_sum + excluded.latency_sum,
    latency_sq_sum = metric_rollups.latency_sq_sum + excluded.latency_sq_sum,
    latency_hist = metrics_hist_merge(metric_rollups.latency_hist, excluded.latency_hist),
    input_tokens = metric_rollups.input_tokens + excluded.input_tokens,
    output_tokens = metric_rollups.output_tokens + excluded.output_tokens,
    tokens_sum = metric_rollups.tokens_sum + excluded.tokens_sum,
    tokens_calls = metric_rollups.tokens_calls + excluded.tokens_calls,
    quality_count = metric_rollups.quality_count + excluded.quality_count,
    quality_sum = metric_rollups.quality_sum + excluded.quality_sum,
    quality_sq_sum = metric_rollups.quality_sq_sum + excluded.quality_sq_sum,
    cost_calls = metric_rollups.cost_calls + excluded.cost_calls,
    cost_sum = metric_rollups.cost_sum + excluded.cost_sum,
    cost_sq_sum = metric_rollups.cost_sq_sum + excluded.cost_sq_sum
  RETURNING 1
)
SELECT workspace_id, call_id FROM ins`);
  return new Set(rowsOf<{ workspace_id: string; call_id: string }>(result).map((r) => `${r.workspace_id}:${r.call_id}`));
}

export async function storedCalls(db: Executor, workspaceId: string, callIds: string[]): Promise<StoredCall[]> {
  if (callIds.length === 0) return [];
  const result = await db.execute(sql`/* storedCalls */
SELECT call_id, version_id, ab_test_id, variant, cost_usd::text AS cost_usd, fingerprint
FROM metric_calls WHERE workspace_id = ${workspaceId} AND call_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(callIds)}::jsonb))`);
  return rowsOf<{ call_id: string; version_id: string; ab_test_id: string | null; variant: string | null; cost_usd: string | null; fingerprint: string }>(result).map((r) => ({
    callId: r.call_id,
    versionId: r.version_id,
    abTestId: r.ab_test_id,
    variant: r.variant,
    costUsd: r.cost_usd,
    fingerprint: r.fingerprint,
  }));
}

/**
 * Stores a feedback score and adds it to the call's rollup (a shard of its key), in one statement. Returns the call's
 * prompt and version, or null when the call is not in the workspace (or was pruned).
 */
export async function insertFeedback(
  db: Executor,
  f: { workspaceId: string; callId: string; score: number; comment: string | null; actorId: string | null },
): Promise<{ promptId: string; promptName: string; versionId: string } | null> {
  const result = await db.execute(sql`/* insertFeedback */
WITH c AS (
  SELECT workspace_id, call_id, date_trunc('hour', at, 'UTC') AS hour, prompt_id, version_id, model, ab_test_id, variant
  FROM metric_calls WHERE workspace_id = ${f.workspaceId} AND call_id = ${f.callId}
), fb AS (
  INSERT INTO metric_feedback (workspace_id, call_id, score, comment, actor_id)
  SELECT workspace_id, call_id, ${f.score}, ${f.comment}, ${f.actorId} FROM c RETURNING 1
), up AS (
  INSERT INTO metric_rollups (workspace_id, hour, prompt_id, version_id, model, ab_test_id, variant, shard, calls, successes,
    latency_sum, latency_sq_sum, latency_hist, input_tokens, output_tokens, tokens_sum, tokens_calls,
    quality_count, quality_sum, quality_sq_sum, cost_calls, cost_sum, cost_sq_sum)
  SELECT workspace_id, hour, prompt_id, version_id, model, ab_test_id, variant, ${randomShard()}::smallint, 0, 0,
    0, 0, '{}'::jsonb, 0, 0, 0, 0, 1, ${f.score}::float8, ${f.score}::float8 * ${f.score}::float8, 0, 0, 0
  FROM c
  ON CONFLICT ON CONSTRAINT metric_rollups_key_shard DO UPDATE SET quality_count = metric_rollups.quality_count + 1,
    quality_sum = metric_rollups.quality_sum + excluded.quality_sum, quality_sq_sum = metric_rollups.quality_sq_sum + excluded.quality_sq_sum
  RETURNING 1
)
SELECT c.prompt_id, p.name AS prompt_name, c.version_id FROM c JOIN prompts p ON p.id = c.prompt_id`);
  const [row] = rowsOf<{ prompt_id: string; prompt_name: string; version_id: string }>(result);
  return row ? { promptId: row.prompt_id, promptName: row.prompt_name, versionId: row.version_id } : null;
}

/** What ingestion needs to know about a version: its workspace, prompt and default model. */
export type VersionRef = { id: string; workspaceId: string; promptId: string; promptName: string; model: string };

export async function versionRefs(db: Executor, workspaceId: string, ids: string[]): Promise<VersionRef[]> {
  if (ids.length === 0) return [];
  return db
    .select({ id: promptVersions.id, workspaceId: promptVersions.workspaceId, promptId: promptVersions.promptId, promptName: prompts.name, model: promptVersions.model })
    .from(promptVersions)
    .innerJoin(prompts, eq(prompts.id, promptVersions.promptId))
    .where(and(eq(promptVersions.workspaceId, workspaceId), inArray(promptVersions.id, ids)));
}

/** Deletes raw calls (and their feedback rows) older than the cutoff, in bounded chunks; rollups stay. */
export async function pruneCallsBefore(db: Executor, cutoff: Date, chunk = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db.execute(sql`/* pruneCalls */
DELETE FROM metric_calls WHERE ctid IN (SELECT ctid FROM metric_calls WHERE at < ${cutoff.toISOString()}::timestamptz LIMIT ${chunk}) RETURNING 1`);
    const n = rowsOf(result).length;
    total += n;
    if (n < chunk) break;
  }
  await db.execute(sql`/* pruneFeedback */ DELETE FROM metric_feedback WHERE at < ${cutoff.toISOString()}::timestamptz`);
  return total;
}
