-- Metrics support (issue 4): the histogram merge used by rollup upserts, the seeded global price
-- table, and read-only views for analysts (documented in README.md, "Metrics for analysts").

-- Adds two latency histograms ({"bucket": count}) key by key: rollups merge by summing counts.
CREATE OR REPLACE FUNCTION metrics_hist_merge(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_object_agg(k, n), '{}'::jsonb)
  FROM (
    SELECT k, sum(v)::bigint AS n
    FROM (
      SELECT key AS k, value::bigint AS v FROM jsonb_each_text(coalesce(a, '{}'::jsonb))
      UNION ALL
      SELECT key, value::bigint FROM jsonb_each_text(coalesce(b, '{}'::jsonb))
    ) both_sides
    GROUP BY k
  ) merged
$$;
--> statement-breakpoint
-- Global list prices in USD per million tokens (standard tier: no batch, cache or long-context
-- rates; Gemini 2.5 Pro at its <=200k-token prompt rate). Source: the vendors' public pricing pages
-- (anthropic.com/pricing, openai.com/api/pricing, ai.google.dev/gemini-api/docs/pricing) as of
-- August 2025. Admins override per workspace with setModelPrice; a global row is never changed by it.
INSERT INTO model_prices (workspace_id, model, input_per_million, output_per_million) VALUES
  (NULL, 'claude-opus-4-1-20250805', 15, 75),
  (NULL, 'claude-opus-4-1', 15, 75),
  (NULL, 'claude-opus-4-20250514', 15, 75),
  (NULL, 'claude-opus-4', 15, 75),
  (NULL, 'claude-sonnet-4-20250514', 3, 15),
  (NULL, 'claude-sonnet-4', 3, 15),
  (NULL, 'claude-3-7-sonnet-20250219', 3, 15),
  (NULL, 'claude-3-5-sonnet-20241022', 3, 15),
  (NULL, 'claude-3-5-haiku-20241022', 0.8, 4),
  (NULL, 'claude-3-5-haiku-latest', 0.8, 4),
  (NULL, 'claude-3-haiku-20240307', 0.25, 1.25),
  (NULL, 'gpt-5', 1.25, 10),
  (NULL, 'gpt-5-mini', 0.25, 2),
  (NULL, 'gpt-5-nano', 0.05, 0.4),
  (NULL, 'gpt-4.1', 2, 8),
  (NULL, 'gpt-4.1-mini', 0.4, 1.6),
  (NULL, 'gpt-4.1-nano', 0.1, 0.4),
  (NULL, 'gpt-4o', 2.5, 10),
  (NULL, 'gpt-4o-mini', 0.15, 0.6),
  (NULL, 'o3', 2, 8),
  (NULL, 'o3-mini', 1.1, 4.4),
  (NULL, 'o4-mini', 1.1, 4.4),
  (NULL, 'o1', 15, 60),
  (NULL, 'gemini-2.5-pro', 1.25, 10),
  (NULL, 'gemini-2.5-flash', 0.3, 2.5),
  (NULL, 'gemini-2.5-flash-lite', 0.1, 0.4),
  (NULL, 'gemini-2.0-flash', 0.1, 0.4),
  (NULL, 'gemini-1.5-pro', 1.25, 5),
  (NULL, 'gemini-1.5-flash', 0.075, 0.3)
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Raw calls with prompt names and version numbers (only as far back as METRICS_RETENTION_DAYS).
-- Joins make the view read-only; filter by workspace_id.
CREATE VIEW analytics_calls AS
SELECT c.workspace_id, p.name AS prompt_name, c.prompt_id, c.version_id, v.number AS version_number,
       c.call_id, c.request_id, c.run_id, c.ab_test_id, c.variant, c.model, c.latency_ms,
       c.input_tokens, c.output_tokens, c.tokens_used, c.success, c.error_code, c.quality_score,
       c.cost_usd, c.at
FROM metric_calls c
JOIN prompts p ON p.id = c.prompt_id
JOIN prompt_versions v ON v.id = c.version_id;
--> statement-breakpoint
-- Daily (UTC) metrics per version and model, from the rollups (so never pruned). Feedback scores
-- count in quality_score/quality_scores. Latency percentiles are not here: see README.
CREATE VIEW analytics_daily_version_metrics AS
SELECT r.workspace_id, date_trunc('day', r.hour, 'UTC') AS day, p.name AS prompt_name, r.prompt_id,
       r.version_id, v.number AS version_number, r.model,
       sum(r.calls)::bigint AS calls,
       sum(r.successes)::bigint AS successes,
       sum(r.successes)::float8 / nullif(sum(r.calls), 0) AS success_rate,
       sum(r.latency_sum) / nullif(sum(r.calls), 0) AS avg_latency_ms,
       sum(r.input_tokens)::bigint AS input_tokens,
       sum(r.output_tokens)::bigint AS output_tokens,
       sum(r.tokens_sum)::bigint AS tokens_used,
       sum(r.quality_sum) / nullif(sum(r.quality_count), 0) AS quality_score,
       sum(r.quality_count)::bigint AS quality_scores,
       sum(r.cost_sum) AS total_cost_usd,
       sum(r.cost_sum) / nullif(sum(r.cost_calls), 0) AS cost_per_call_usd
FROM metric_rollups r
JOIN prompts p ON p.id = r.prompt_id
JOIN prompt_versions v ON v.id = r.version_id
GROUP BY r.workspace_id, date_trunc('day', r.hour, 'UTC'), p.name, r.prompt_id, r.version_id, v.number, r.model;
