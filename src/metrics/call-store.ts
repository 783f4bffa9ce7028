/**
 * Metrics data access. Ingestion is ONE statement per batch (the plpgsql function metrics_ingest of
 * migration 0006, whose plan each connection caches): the raw calls are inserted
 * (`ON CONFLICT (workspace_id, call_id) DO NOTHING`) and, from exactly the rows that went in, the
 * hourly rollups are upserted (sums, sums of squares, the merged latency histogram). One statement
 * is one transaction: a call is never counted without being stored, nor stored without being
 * counted. Rows and rollup keys are written in a fixed order so concurrent batches (on any number
 * of instances) queue on each other instead of deadlocking.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { rowsOf } from '../db/rows';
import { prompts, promptVersions } from '../db/schema';
import { LN_GAMMA } from './latency-sketch';

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

/** Rollup shards: concurrent statements pick one at random, so they rarely queue on one row. */
export const ROLLUP_SHARDS = 8;
const randomShard = () => Math.floor(Math.random() * ROLLUP_SHARDS);

/** Inserts the calls and updates their rollups; returns `workspace_id:call_id` of the rows actually inserted. */
export async function insertCalls(db: Executor, rows: CallRow[], shard = randomShard()): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const result = await db.execute(sql`/* insertCalls */ SELECT out_workspace_id AS workspace_id, out_call_id AS call_id
FROM metrics_ingest(${JSON.stringify(rows)}::jsonb, ${shard}::smallint, ${LN_GAMMA}::float8)`);
  return new Set(rowsOf<{ workspace_id: string; call_id: string }>(result).map((r) => `${r.workspace_id}:${r.call_id}`));
}

export async function storedCalls(db: Executor, workspaceId: string, callIds: string[]): Promise<StoredCall[]> {
  if (callIds.length === 0) return [];
  const result = await db.execute(sql`/* storedCalls */
SELECT call_id, version_id, ab_test_id, variant, cost_usd::text AS cost_usd, fingerprint
FROM metric_calls WHERE workspace_id = ${workspaceId} AND call_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(callIds)}::jsonb))`);
  return rowsOf<{ call_id: string; version_id: string; ab_test_id: string | null; variant: string | null; cost_usd: string | null; fingerprint: string }>(
    result,
  ).map((r) => ({
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
    .select({
      id: promptVersions.id,
      workspaceId: promptVersions.workspaceId,
      promptId: promptVersions.promptId,
      promptName: prompts.name,
      model: promptVersions.model,
    })
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
