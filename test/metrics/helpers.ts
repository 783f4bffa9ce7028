/** Shared bits of the metrics tests: operations and a seeded prompt with a version. */
import { randomBytes } from 'node:crypto';
import { createPromptWith } from '../helpers/seed';

export const RECORD = 'mutation($i: CallInput!) { recordCall(input: $i) { callId versionId abTestId variant costUsd duplicate } }';
export const RECORD_MANY = 'mutation($i: [CallInput!]!) { recordCalls(inputs: $i) { callId versionId costUsd duplicate } }';
export const FEEDBACK = 'mutation($c: ID!, $s: Float!, $m: String) { recordFeedback(callId: $c, score: $s, comment: $m) }';
export const METRIC_FIELDS =
  'totalCalls successRate avgLatencyMs p50LatencyMs p95LatencyMs p99LatencyMs avgTokensUsed inputTokens outputTokens qualityScore feedbackCount costPerCall totalCost';
export const METRICS = `query($f: MetricsFilter!, $g: [MetricsDimension!], $b: TimeBucket) { metrics(filter: $f, groupBy: $g, bucket: $b) { promptName versionId versionNumber model variant bucketStart ${METRIC_FIELDS} } }`;

/** A prompt (unique name) whose first version uses `model`; returns its name and version id. */
export async function seedVersion(url: string, key: string, model = 'claude-sonnet-4-20250514'): Promise<{ name: string; versionId: string }> {
  const name = `m/${randomBytes(4).toString('hex')}`;
  const d = await createPromptWith(url, key, name, 'Summarize {{text}}', { model });
  return { name, versionId: d.createPrompt.activeVersion.id };
}

export const uid = (prefix = 'c') => `${prefix}-${randomBytes(6).toString('hex')}`;

/** Nearest-rank quantile (rank ⌈q·n⌉), the definition the server's sketch estimates. */
export function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

export function expectWithin1Pct(actual: number | null, exact: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - exact)).toBeLessThanOrEqual(exact * 0.01 + 1e-9);
}
