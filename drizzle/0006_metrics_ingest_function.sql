-- Ingestion as one plpgsql function: the same single statement as before (calls inserted ON CONFLICT
-- DO NOTHING, hourly rollups upserted from exactly the inserted rows), but its plan is cached per
-- connection instead of being parsed and planned on every batch (planning was ~half of a small
-- batch's database time). src/metrics/store.ts calls it; p_ln_gamma is the sketch's ln(γ), passed
-- in so the bucket arithmetic has one source (src/metrics/latency-sketch.ts).
CREATE OR REPLACE FUNCTION metrics_ingest(p_rows jsonb, p_shard smallint, p_ln_gamma float8)
RETURNS TABLE (out_workspace_id uuid, out_call_id text)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
WITH input AS (
  SELECT * FROM jsonb_to_recordset(p_rows) AS x(
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
  SELECT workspace_id, hour, prompt_id, version_id, model, ab_test_id, variant, jsonb_object_agg(bucket, n) AS h
  FROM (SELECT workspace_id, hour, prompt_id, version_id, model, ab_test_id, variant, CASE WHEN latency_ms <= 0 THEN 'z' ELSE ceil(ln(latency_ms) / p_ln_gamma)::bigint::text END AS bucket, count(*) AS n FROM ins GROUP BY workspace_id, hour, prompt_id, version_id, model, ab_test_id, variant, 8) b
  GROUP BY workspace_id, hour, prompt_id, version_id, model, ab_test_id, variant
), agg AS (
  SELECT workspace_id, hour, prompt_id, version_id, model, ab_test_id, variant, count(*) AS calls, count(*) FILTER (WHERE success) AS successes,
    sum(latency_ms) AS latency_sum, sum(latency_ms * latency_ms) AS latency_sq_sum,
    coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
    coalesce(sum(tokens_used), 0) AS tokens_sum, count(tokens_used) AS tokens_calls,
    count(quality_score) AS quality_count, coalesce(sum(quality_score), 0) AS quality_sum,
    coalesce(sum(quality_score * quality_score), 0) AS quality_sq_sum,
    count(cost_usd) AS cost_calls, coalesce(sum(cost_usd), 0) AS cost_sum, coalesce(sum(cost_usd * cost_usd), 0) AS cost_sq_sum
  FROM ins GROUP BY workspace_id, hour, prompt_id, version_id, model, ab_test_id, variant
), roll AS (
  INSERT INTO metric_rollups (workspace_id, hour, prompt_id, version_id, model, ab_test_id, variant, shard, calls, successes,
    latency_sum, latency_sq_sum, latency_hist, input_tokens, output_tokens, tokens_sum, tokens_calls,
    quality_count, quality_sum, quality_sq_sum, cost_calls, cost_sum, cost_sq_sum)
  SELECT a.workspace_id, a.hour, a.prompt_id, a.version_id, a.model, a.ab_test_id, a.variant, p_shard, a.calls, a.successes,
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
SELECT ins.workspace_id, ins.call_id FROM ins;
END;
$fn$;
