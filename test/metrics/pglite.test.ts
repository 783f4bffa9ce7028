/** Metrics on the embedded default (PGlite): ingestion, rollups, prices and reads run the same SQL. */
import { ok } from '../helpers/graphql';
import { newTenant } from '../helpers/seed';
import { startServer, type TestServer } from '../helpers/server';
import { FEEDBACK, METRICS, RECORD, RECORD_MANY, seedVersion, uid } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

test('record, repeat, feedback and read back on PGlite', async () => {
  const t = await newTenant(server.url, server.adminKey);
  const { name, versionId } = await seedVersion(server.url, t.key, 'gpt-4o-mini');
  const callId = uid();
  const call = { versionId, callId, latencyMs: 120, inputTokens: 1000, outputTokens: 2000, success: true, qualityScore: 0.5 };
  const first = (await ok(server.url, t.key, RECORD, { i: call })).recordCall;
  // gpt-4o-mini: $0.15 in, $0.60 out per million → 0.00015 + 0.0012
  expect(first).toEqual({ callId, versionId, abTestId: null, variant: null, costUsd: 0.00135, duplicate: false });
  expect((await ok(server.url, t.key, RECORD, { i: call })).recordCall.duplicate).toBe(true);
  await ok(server.url, t.key, RECORD_MANY, {
    i: [
      { versionId, latencyMs: 80, success: false },
      { versionId, latencyMs: 100, success: true, costUsd: 0.01 },
    ],
  });
  expect((await ok(server.url, t.key, FEEDBACK, { c: callId, s: 1 })).recordFeedback).toBe(true);

  const [row] = (await ok(server.url, t.key, METRICS, { f: { promptName: name }, g: ['VERSION'] })).metrics;
  expect(row).toMatchObject({
    promptName: name,
    versionId,
    versionNumber: 1,
    totalCalls: 3,
    feedbackCount: 2,
    qualityScore: 0.75,
    inputTokens: 1000,
    outputTokens: 2000,
  });
  expect(row.successRate).toBeCloseTo(2 / 3, 12);
  expect(row.avgLatencyMs).toBeCloseTo(100, 9);
  expect(row.totalCost).toBeCloseTo(0.01135, 12);
  const v = await ok(
    server.url,
    t.key,
    'query($n: String!) { prompt(name: $n) { metrics { totalCalls } activeVersion { metrics { totalCalls p50LatencyMs } } } }',
    { n: name },
  );
  expect(v.prompt.metrics.totalCalls).toBe(3);
  expect(Math.abs(v.prompt.activeVersion.metrics.p50LatencyMs - 100)).toBeLessThanOrEqual(1);
});
