/**
 * Metrics on real Postgres: costs, exact aggregates for known inputs, aggregates equal to a
 * reference computed from the raw calls (every groupBy, hour and day buckets), idempotency,
 * feedback, prices, analyst views, retention and metricsUpdated.
 */
import { fails, ok } from '../helpers/graphql';
import { usePostgresServer, withSql, type TestDatabase } from '../helpers/postgres';
import { addVersion, keyWith, newTenant } from '../helpers/seed';
import type { TestServer } from '../helpers/server';
import { collect, wsClient } from '../helpers/ws';
import { exactQuantile, expectWithin1Pct, FEEDBACK, METRIC_FIELDS, METRICS, RECORD, RECORD_MANY, seedVersion, uid } from './helpers';

let db: TestDatabase;
let server: TestServer;
usePostgresServer((s, d) => {
  server = s;
  db = d;
});

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** The bucket's start in UTC: an hour, a day, or an ISO week (Monday; the epoch was a Thursday). */
const bucketStart = (t: number, bucket: 'HOUR' | 'DAY' | 'WEEK') =>
  bucket === 'WEEK' ? Math.floor((t + 3 * DAY) / WEEK) * WEEK - 3 * DAY : Math.floor(t / (bucket === 'DAY' ? DAY : HOUR)) * (bucket === 'DAY' ? DAY : HOUR);

/** A deterministic spread of latencies (heavy tail) so percentiles differ from the mean. */
const latencyOf = (i: number) => Math.round((20 + ((i * 7919) % 997) ** 1.3 / 3) * 1000) / 1000;

test('the receipt carries the cost: costUsd as given, else tokens × the model price', async () => {
  const t = await newTenant(server.url, server.adminKey);
  const { versionId } = await seedVersion(server.url, t.key, 'claude-sonnet-4-20250514'); // $3 in, $15 out
  const cost = async (extra: Record<string, unknown>) =>
    (await ok(server.url, t.key, RECORD, { i: { versionId, latencyMs: 10, success: true, ...extra } })).recordCall.costUsd;
  expect(await cost({ inputTokens: 1234, outputTokens: 567 })).toBeCloseTo(0.003702 + 0.008505, 12);
  expect(await cost({ inputTokens: 1234, outputTokens: 567, costUsd: 0.5 })).toBe(0.5);
  expect(await cost({ tokensUsed: 1000 })).toBeCloseTo(0.003, 12); // no split known: the input rate
  expect(await cost({ model: 'gpt-4o', inputTokens: 1000, outputTokens: 1000 })).toBeCloseTo(0.0025 + 0.01, 12);
  expect(await cost({ model: 'my-own-model', inputTokens: 1000 })).toBeNull();
  expect(await cost({})).toBeNull();
});

test('exact aggregates for known inputs: counts, averages, percentiles within 1%, cost to the nano-dollar', async () => {
  const t = await newTenant(server.url, server.adminKey);
  const { name, versionId } = await seedVersion(server.url, t.key, 'gpt-4.1'); // $2 in, $8 out
  const calls = Array.from({ length: 250 }, (_, i) => ({
    versionId,
    callId: `k-${i}`,
    latencyMs: latencyOf(i),
    inputTokens: 100 + i,
    outputTokens: 10 + (i % 7),
    success: i % 4 !== 0,
    ...(i % 3 === 0 ? { qualityScore: (i % 10) / 10 } : {}),
    ...(i % 5 === 0 ? { costUsd: 0.000123457 * i } : {}),
  }));
  await ok(server.url, t.key, RECORD_MANY, { i: calls.slice(0, 120) });
  for (const c of calls.slice(120, 130)) await ok(server.url, t.key, RECORD, { i: c });
  await ok(server.url, t.key, RECORD_MANY, { i: calls.slice(130) });
  const feedback = [
    ['k-1', 1],
    ['k-1', 0.2],
    ['k-3', 0.4],
  ] as const;
  for (const [c, s] of feedback) await ok(server.url, t.key, FEEDBACK, { c, s, m: 'reviewed' });

  // Reference in integers of nano-dollars: exact, like the numeric columns.
  const nano = (c: (typeof calls)[number]) =>
    c.costUsd !== undefined
      ? BigInt(Math.round(c.costUsd * 1e9))
      : (BigInt(c.inputTokens) * 2_000_000_000n + BigInt(c.outputTokens) * 8_000_000_000n + 500_000n) / 1_000_000n;
  const totalNano = calls.reduce((s, c) => s + nano(c), 0n);
  const scores = [...calls.filter((c) => c.qualityScore !== undefined).map((c) => c.qualityScore!), ...feedback.map(([, s]) => s)];
  const latencies = calls.map((c) => c.latencyMs);
  const m = (
    await ok(server.url, t.key, `query($n: String!) { prompt(name: $n) { metrics { ${METRIC_FIELDS} } activeVersion { metrics { totalCalls totalCost } } } }`, {
      n: name,
    })
  ).prompt;
  const got = m.metrics;
  expect(got.totalCalls).toBe(250);
  expect(got.successRate).toBeCloseTo(calls.filter((c) => c.success).length / 250, 12);
  expect(got.avgLatencyMs).toBeCloseTo(latencies.reduce((a, b) => a + b, 0) / 250, 9);
  expectWithin1Pct(got.p50LatencyMs, exactQuantile(latencies, 0.5));
  expectWithin1Pct(got.p95LatencyMs, exactQuantile(latencies, 0.95));
  expectWithin1Pct(got.p99LatencyMs, exactQuantile(latencies, 0.99));
  expect(got.inputTokens).toBe(calls.reduce((s, c) => s + c.inputTokens, 0));
  expect(got.outputTokens).toBe(calls.reduce((s, c) => s + c.outputTokens, 0));
  expect(got.avgTokensUsed).toBeCloseTo(calls.reduce((s, c) => s + c.inputTokens + c.outputTokens, 0) / 250, 9);
  expect(got.feedbackCount).toBe(scores.length);
  expect(got.qualityScore).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / scores.length, 12);
  expect(got.totalCost).toBe(Number(totalNano) / 1e9);
  expect(got.costPerCall).toBeCloseTo(Number(totalNano) / 1e9 / 250, 12);
  expect(m.activeVersion.metrics).toEqual({ totalCalls: 250, totalCost: got.totalCost });
  // Stored exactly as numeric: the database's own sum is the reference to the last nano-dollar.
  const [row] = await withSql(db.url, (sql) => sql`SELECT sum(cost_usd)::text AS total FROM metric_calls WHERE workspace_id = ${t.workspaceId}`);
  expect(row!.total).toBe(`${totalNano / 1_000_000_000n}.${(totalNano % 1_000_000_000n).toString().padStart(9, '0')}`);
});

test('aggregates equal a reference computed from the raw calls: every groupBy, HOUR, DAY and WEEK buckets across days', async () => {
  const t = await newTenant(server.url, server.adminKey);
  const a = await seedVersion(server.url, t.key, 'gpt-4o');
  const b = await seedVersion(server.url, t.key, 'gemini-2.5-flash');
  const a2 = await addVersion(server.url, t.key, a.name, 'Summarize briefly {{text}}', { model: 'gpt-4o-mini' });
  const versions = [a.versionId, b.versionId, a2.id];
  const now = Date.now();
  const calls = Array.from({ length: 180 }, (_, i) => ({
    versionId: versions[i % 3]!,
    callId: `r-${i}`,
    latencyMs: latencyOf(i),
    inputTokens: 50 + i,
    outputTokens: i % 9,
    success: i % 6 !== 0,
    ...(i % 4 === 0 ? { qualityScore: (i % 5) / 4 } : {}),
    ...(i % 10 === 0 ? { model: 'claude-3-5-haiku-20241022' } : {}),
    at: new Date(now - (i % 7) * DAY - (i % 3) * HOUR).toISOString(),
  }));
  await ok(server.url, t.key, RECORD_MANY, { i: calls });
  await ok(server.url, t.key, FEEDBACK, { c: 'r-5', s: 0.9 });

  const raw = await withSql(
    db.url,
    (sql) => sql`
    SELECT c.call_id, p.name AS prompt_name, c.version_id, v.number AS version_number, c.model, c.variant, c.latency_ms, c.input_tokens,
           c.output_tokens, c.tokens_used, c.success, c.quality_score, c.cost_usd::text AS cost, c.at,
           coalesce((SELECT array_agg(f.score) FROM metric_feedback f WHERE f.workspace_id = c.workspace_id AND f.call_id = c.call_id), '{}') AS feedback
    FROM metric_calls c JOIN prompts p ON p.id = c.prompt_id JOIN prompt_versions v ON v.id = c.version_id
    WHERE c.workspace_id = ${t.workspaceId}`,
  );
  expect(raw).toHaveLength(180);

  const dims = ['PROMPT', 'VERSION', 'MODEL', 'VARIANT'] as const;
  const subsets = Array.from({ length: 16 }, (_, mask) => dims.filter((_, i) => mask & (1 << i)));
  for (const bucket of [null, 'HOUR', 'DAY', 'WEEK'] as const) {
    for (const groupBy of subsets) {
      const rows = (await ok(server.url, t.key, METRICS, { f: {}, g: groupBy, b: bucket })).metrics as any[];
      const keyOf = (r: any) =>
        JSON.stringify([
          groupBy.includes('PROMPT') || groupBy.includes('VERSION') ? r.prompt_name : null,
          groupBy.includes('VERSION') ? r.version_id : null,
          groupBy.includes('MODEL') ? r.model : null,
          groupBy.includes('VARIANT') ? r.variant : null,
          bucket ? new Date(bucketStart(new Date(r.at).getTime(), bucket)).toISOString() : null,
        ]);
      const groups = new Map<string, any[]>();
      for (const r of raw) groups.set(keyOf(r), [...(groups.get(keyOf(r)) ?? []), r]);
      const label = `groupBy ${JSON.stringify(groupBy)} bucket ${bucket}`;
      expect([label, rows.length]).toEqual([label, groups.size]);
      for (const row of rows) {
        const key = JSON.stringify([row.promptName, row.versionId, row.model, row.variant, row.bucketStart]);
        const group = groups.get(key);
        expect([label, key, !!group]).toEqual([label, key, true]);
        const lat = group!.map((r) => r.latency_ms as number);
        const scores = group!.flatMap((r) => [...(r.quality_score == null ? [] : [r.quality_score]), ...r.feedback]);
        const costNano = group!.reduce((s, r) => s + (r.cost == null ? 0n : BigInt(r.cost.replace('.', ''))), 0n);
        expect(row.totalCalls).toBe(group!.length);
        expect(row.successRate).toBeCloseTo(group!.filter((r) => r.success).length / group!.length, 12);
        expect(row.avgLatencyMs).toBeCloseTo(lat.reduce((x, y) => x + y, 0) / lat.length, 9);
        expectWithin1Pct(row.p50LatencyMs, exactQuantile(lat, 0.5));
        expectWithin1Pct(row.p95LatencyMs, exactQuantile(lat, 0.95));
        expectWithin1Pct(row.p99LatencyMs, exactQuantile(lat, 0.99));
        expect(row.inputTokens).toBe(group!.reduce((s, r) => s + Number(r.input_tokens), 0));
        expect(row.outputTokens).toBe(group!.reduce((s, r) => s + Number(r.output_tokens), 0));
        expect(row.feedbackCount).toBe(scores.length);
        if (scores.length) expect(row.qualityScore).toBeCloseTo(scores.reduce((x, y) => x + y, 0) / scores.length, 12);
        else expect(row.qualityScore).toBeNull();
        expect(row.totalCost).toBe(Number(costNano) / 1e9);
      }
    }
  }
  // Filters: a prompt, some versions, some models, a time window.
  const byVersion = (await ok(server.url, t.key, METRICS, { f: { promptName: a.name, versionIds: [a2.id] }, g: ['VERSION'] })).metrics;
  expect(byVersion).toHaveLength(1);
  expect(byVersion[0]).toMatchObject({ versionId: a2.id, versionNumber: 2, totalCalls: 60 });
  const haiku = (await ok(server.url, t.key, METRICS, { f: { models: ['claude-3-5-haiku-20241022'] } })).metrics;
  expect(haiku[0].totalCalls).toBe(18);
  const recent = (await ok(server.url, t.key, METRICS, { f: { from: new Date(now - 12 * HOUR).toISOString() } })).metrics;
  expect(recent[0].totalCalls).toBe(raw.filter((r) => new Date(r.at).getTime() >= Math.floor((now - 12 * HOUR) / HOUR) * HOUR).length);
  const empty = (await ok(server.url, t.key, METRICS, { f: { promptName: 'no/such' } })).metrics;
  expect(empty).toEqual([expect.objectContaining({ totalCalls: 0, totalCost: 0, successRate: null, p50LatencyMs: null })]);

  // The analysts' view (README: cost per prompt per day) agrees with the API.
  const view = await withSql(
    db.url,
    (sql) => sql`
    SELECT prompt_name, day, sum(total_cost_usd)::text AS cost FROM analytics_daily_version_metrics
    WHERE workspace_id = ${t.workspaceId} GROUP BY prompt_name, day ORDER BY prompt_name, day`,
  );
  const api = (await ok(server.url, t.key, METRICS, { f: {}, g: ['PROMPT'], b: 'DAY' })).metrics;
  expect(view.map((r) => [r.prompt_name, new Date(r.day).toISOString(), Number(r.cost)])).toEqual(
    api.map((r: any) => [r.promptName, r.bucketStart, r.totalCost]),
  );
});

test('a repeated callId is acknowledged with the original receipt and counted once; other values are a CONFLICT', async () => {
  const t = await newTenant(server.url, server.adminKey);
  const { versionId } = await seedVersion(server.url, t.key);
  const call = { versionId, callId: uid(), latencyMs: 42, inputTokens: 10, outputTokens: 5, success: true };
  const first = (await ok(server.url, t.key, RECORD, { i: call })).recordCall;
  const again = await Promise.all([1, 2, 3].map(() => ok(server.url, t.key, RECORD, { i: call })));
  for (const r of again) expect(r.recordCall).toEqual({ ...first, duplicate: true });
  const err = await fails(server.url, t.key, RECORD, { i: { ...call, latencyMs: 43 } }, 'CONFLICT');
  expect(err.extensions?.field).toBe('input.callId');
  // recordCalls: a repeat inside the batch and of a stored call are fine; a conflicting one fails the whole batch.
  const fresh = { ...call, callId: uid() };
  const receipts = (await ok(server.url, t.key, RECORD_MANY, { i: [fresh, fresh, call] })).recordCalls;
  expect(receipts.map((r: any) => r.duplicate)).toEqual([false, true, true]);
  const bad = await fails(
    server.url,
    t.key,
    RECORD_MANY,
    {
      i: [
        { ...call, callId: uid() },
        { ...call, success: false },
      ],
    },
    'CONFLICT',
  );
  expect(bad.extensions?.field).toBe('inputs.1.callId');
  const [n] = await withSql(db.url, (sql) => sql`SELECT count(*)::int AS n FROM metric_calls WHERE workspace_id = ${t.workspaceId}`);
  expect(n!.n).toBe(2);
  const v = (await ok(server.url, t.key, 'query($v: ID!) { version(id: $v) { metrics { totalCalls inputTokens } } }', { v: versionId })).version.metrics;
  expect(v).toEqual({ totalCalls: 2, inputTokens: 20 });
});

test('recordFeedback: every score counts (a second one adds), unknown or foreign calls are NOT_FOUND', async () => {
  const t = await newTenant(server.url, server.adminKey);
  const other = await newTenant(server.url, server.adminKey);
  const { versionId } = await seedVersion(server.url, t.key);
  const callId = uid();
  await ok(server.url, t.key, RECORD, { i: { versionId, callId, latencyMs: 5, success: true, qualityScore: 0.2 } });
  await ok(server.url, t.key, FEEDBACK, { c: callId, s: 0.6 });
  await ok(server.url, t.key, FEEDBACK, { c: callId, s: 1 });
  const m = (await ok(server.url, t.key, 'query($v: ID!) { version(id: $v) { metrics { qualityScore feedbackCount totalCalls } } }', { v: versionId })).version
    .metrics;
  expect(m.totalCalls).toBe(1);
  expect(m.feedbackCount).toBe(3);
  expect(m.qualityScore).toBeCloseTo(0.6, 12);
  await fails(server.url, other.key, FEEDBACK, { c: callId, s: 0.5 }, 'NOT_FOUND');
  await fails(server.url, t.key, FEEDBACK, { c: 'nope', s: 0.5 }, 'NOT_FOUND');
  expect((await fails(server.url, t.key, FEEDBACK, { c: callId, s: 1.01 }, 'BAD_USER_INPUT')).extensions?.field).toBe('score');
  expect(
    (await fails(server.url, t.key, `mutation { recordFeedback(callId: "${callId}", score: 1e400) }`, undefined, 'BAD_USER_INPUT')).extensions?.field,
  ).toBe('score');
});

test('authorization: recording needs metrics:write, reading metrics:read, prices ADMIN; other workspaces see nothing', async () => {
  const t = await newTenant(server.url, server.adminKey);
  const other = await newTenant(server.url, server.adminKey);
  const { name, versionId } = await seedVersion(server.url, t.key);
  const call = { versionId, latencyMs: 1, success: true };
  const viewer = await keyWith(server.url, t.key, { role: 'VIEWER' });
  const editor = await keyWith(server.url, t.key, { role: 'EDITOR' });
  const service = await keyWith(server.url, t.key, { scopes: ['metrics:write'] });
  const reader = await keyWith(server.url, t.key, { scopes: ['prompts:read'] });
  await fails(server.url, viewer, RECORD, { i: call }, 'FORBIDDEN');
  await fails(server.url, viewer, FEEDBACK, { c: 'x', s: 1 }, 'FORBIDDEN');
  await ok(server.url, editor, RECORD, { i: call });
  await ok(server.url, service, RECORD_MANY, { i: [call] });
  await fails(server.url, service, METRICS, { f: {} }, 'FORBIDDEN');
  expect((await ok(server.url, reader, METRICS, { f: { promptName: name } })).metrics[0].totalCalls).toBe(2);
  expect((await ok(server.url, viewer, '{ modelPrices { model } }')).modelPrices.length).toBeGreaterThan(20);
  await fails(server.url, editor, 'mutation { setModelPrice(model: "x", inputPerMillion: 1, outputPerMillion: 2) { model } }', undefined, 'FORBIDDEN');
  // Another workspace's version is exactly like a missing one, and its metrics are invisible.
  const nf = await fails(server.url, other.key, RECORD, { i: call }, 'NOT_FOUND');
  expect(nf.extensions?.field).toBe('input.versionId');
  const nf2 = await fails(
    server.url,
    other.key,
    RECORD_MANY,
    { i: [{ ...call, versionId: (await seedVersion(server.url, other.key)).versionId }, call] },
    'NOT_FOUND',
  );
  expect(nf2.extensions?.field).toBe('inputs.1.versionId');
  expect((await ok(server.url, other.key, METRICS, { f: { versionIds: [versionId] } })).metrics[0].totalCalls).toBe(0);
  const [n] = await withSql(db.url, (sql) => sql`SELECT count(*)::int AS n FROM metric_calls WHERE workspace_id = ${other.workspaceId}`);
  expect(n!.n).toBe(0);
});

test('setModelPrice overrides a price for its workspace only; modelPrices lists the effective table', async () => {
  const t = await newTenant(server.url, server.adminKey);
  const other = await newTenant(server.url, server.adminKey);
  const set = await ok(
    server.url,
    t.key,
    'mutation { setModelPrice(model: "gpt-4o", inputPerMillion: 1.5, outputPerMillion: 3) { model inputPerMillion outputPerMillion updatedAt } }',
  );
  expect(set.setModelPrice).toMatchObject({ model: 'gpt-4o', inputPerMillion: 1.5, outputPerMillion: 3 });
  await ok(server.url, t.key, 'mutation { setModelPrice(model: "house-model", inputPerMillion: 0.5, outputPerMillion: 0.5) { model } }');
  const mine = (await ok(server.url, t.key, '{ modelPrices { model inputPerMillion outputPerMillion } }')).modelPrices;
  expect(mine.find((p: any) => p.model === 'gpt-4o')).toEqual({ model: 'gpt-4o', inputPerMillion: 1.5, outputPerMillion: 3 });
  expect(mine.filter((p: any) => p.model === 'gpt-4o')).toHaveLength(1);
  expect(mine.map((p: any) => p.model)).toContain('house-model');
  const theirs = (await ok(server.url, other.key, '{ modelPrices { model inputPerMillion } }')).modelPrices;
  expect(theirs.find((p: any) => p.model === 'gpt-4o').inputPerMillion).toBe(2.5);
  expect(theirs.map((p: any) => p.model)).not.toContain('house-model');
  const { versionId } = await seedVersion(server.url, t.key, 'gpt-4o');
  const r = (await ok(server.url, t.key, RECORD, { i: { versionId, latencyMs: 1, success: true, inputTokens: 1_000_000, outputTokens: 1_000_000 } }))
    .recordCall;
  expect(r.costUsd).toBe(4.5);
  for (const [inp, out] of [
    ['-1', '1'],
    ['1', '1e400'],
  ])
    await fails(
      server.url,
      t.key,
      `mutation { setModelPrice(model: "m", inputPerMillion: ${inp}, outputPerMillion: ${out}) { model } }`,
      undefined,
      'BAD_USER_INPUT',
    );
});

test('retention prunes raw calls past METRICS_RETENTION_DAYS; the rollups (and so the metrics) stay', async () => {
  const t = await newTenant(server.url, server.adminKey);
  const { versionId } = await seedVersion(server.url, t.key);
  await ok(server.url, t.key, RECORD_MANY, { i: [1, 2, 3].map((i) => ({ versionId, callId: `old-${i}`, latencyMs: i, success: true })) });
  await withSql(
    db.url,
    (sql) => sql`UPDATE metric_calls SET at = now() - interval '91 days' WHERE workspace_id = ${t.workspaceId} AND call_id IN ('old-1', 'old-2')`,
  );
  expect(await server.app.services.metrics.pruneNow()).toBeGreaterThanOrEqual(2);
  const left = await withSql(db.url, (sql) => sql`SELECT call_id FROM metric_calls WHERE workspace_id = ${t.workspaceId}`);
  expect(left.map((r) => r.call_id)).toEqual(['old-3']);
  expect((await ok(server.url, t.key, 'query($v: ID!) { version(id: $v) { metrics { totalCalls } } }', { v: versionId })).version.metrics.totalCalls).toBe(3);
});

test('metricsUpdated: after commit, what a query returns, at most one event per version per second', async () => {
  const t = await newTenant(server.url, server.adminKey);
  const other = await newTenant(server.url, server.adminKey);
  const { name, versionId } = await seedVersion(server.url, t.key);
  const client = wsClient(server.url, t.key);
  const sub = collect(
    client,
    'subscription($n: String!) { metricsUpdated(promptName: $n) { promptName version { id number } metrics { totalCalls avgLatencyMs } at } }',
    { n: name },
  );
  const spy = wsClient(server.url, other.key);
  const spySub = collect(spy, 'subscription($n: String!) { metricsUpdated(promptName: $n) { promptName } }', { n: name });
  await new Promise((r) => setTimeout(r, 300)); // both subscribed
  await ok(server.url, t.key, RECORD, { i: { versionId, latencyMs: 10, success: true } });
  const [first] = await sub.waitFor(1);
  expect(first.metricsUpdated).toMatchObject({ promptName: name, version: { id: versionId, number: 1 }, metrics: { totalCalls: 1, avgLatencyMs: 10 } });
  for (let i = 0; i < 20; i++) await ok(server.url, t.key, RECORD, { i: { versionId, latencyMs: 20, success: true } });
  // A trailing event follows the burst and carries every call so far (however long the burst took on a busy machine).
  const deadline = Date.now() + 15_000;
  while (sub.events.at(-1)?.metricsUpdated.metrics.totalCalls !== 21 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(sub.events.at(-1).metricsUpdated.metrics.totalCalls).toBe(21);
  // The throttle: consecutive events of one version are at least a second apart (far fewer events than calls).
  const times = sub.events.map((e: any) => new Date(e.metricsUpdated.at).getTime());
  for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(990);
  expect(sub.events.length).toBeLessThan(21);
  expect(spySub.events).toHaveLength(0);
  sub.dispose();
  spySub.dispose();
  await client.dispose();
  await spy.dispose();
  const viewerless = await keyWith(server.url, t.key, { scopes: ['metrics:write'] });
  const denied = wsClient(server.url, viewerless);
  const d = collect(denied, 'subscription($n: String!) { metricsUpdated(promptName: $n) { promptName } }', { n: name });
  await d.waitFor(1, 3000).catch(() => undefined);
  expect(JSON.stringify(d.errors)).toContain('FORBIDDEN');
  await denied.dispose();
});

test('per-object metrics of a list are right for each object (batched per kind and range), with zeros where there are no calls', async () => {
  const t = await newTenant(server.url, server.adminKey);
  const a = await seedVersion(server.url, t.key);
  const b = await seedVersion(server.url, t.key);
  const a2 = await addVersion(server.url, t.key, a.name, 'Summarize {{text}} briefly');
  await addVersion(server.url, t.key, a.name, 'Summarize {{text}} in one line');
  await ok(server.url, t.key, RECORD_MANY, {
    i: [
      { versionId: a.versionId, latencyMs: 10, success: true },
      { versionId: a.versionId, latencyMs: 30, success: false },
      { versionId: a2.id, latencyMs: 20, success: true },
      { versionId: b.versionId, latencyMs: 5, success: true },
    ],
  });
  const d = await ok(
    server.url,
    t.key,
    `{
    prompts(first: 5) { edges { node { name metrics { totalCalls } past: metrics(to: "2001-01-01T00:00:00Z") { totalCalls } versions(first: 5) { number metrics { totalCalls avgLatencyMs successRate } } } } }
  }`,
  );
  const byName = Object.fromEntries(d.prompts.edges.map((e: any) => [e.node.name, e.node]));
  expect(byName[a.name].metrics.totalCalls).toBe(3);
  expect(byName[b.name].metrics.totalCalls).toBe(1);
  expect(byName[a.name].past.totalCalls).toBe(0);
  expect(byName[a.name].versions).toEqual([
    { number: 3, metrics: { totalCalls: 0, avgLatencyMs: null, successRate: null } },
    { number: 2, metrics: { totalCalls: 1, avgLatencyMs: 20, successRate: 1 } },
    { number: 1, metrics: { totalCalls: 2, avgLatencyMs: 20, successRate: 0.5 } },
  ]);
});
