/**
 * Ingestion across real server processes on one Postgres: concurrent repeats from two instances are
 * counted once, and no acknowledged call is lost when the server is killed with SIGKILL.
 */
import { ok, gql } from '../helpers/graphql';
import { createTestDatabase, withSql, type TestDatabase } from '../helpers/postgres';
import { newTenant } from '../helpers/seed';
import { ADMIN_KEY, spawnServer, type ServerProcess } from '../helpers/server';
import { RECORD, RECORD_MANY, seedVersion } from './helpers';

jest.setTimeout(120_000);

let db: TestDatabase;
const servers: ServerProcess[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill('SIGKILL')));
  await db?.drop();
});

async function start(): Promise<ServerProcess> {
  const s = await spawnServer({ DATABASE_URL: db.url, RATE_LIMIT_MAX: '0' });
  servers.push(s);
  return s;
}

test('the same calls sent 3× concurrently to two instances are stored and counted once', async () => {
  const one = await start(); // migrates the fresh database first (concurrent first migrations race)
  const two = await start();
  const t = await newTenant(one.url, ADMIN_KEY);
  const { versionId } = await seedVersion(one.url, t.key, 'gpt-4o');
  const batch = Array.from({ length: 300 }, (_, i) => ({
    versionId,
    callId: `dup-${i}`,
    latencyMs: 10 + i,
    inputTokens: 100 + i,
    outputTokens: 7,
    success: i % 3 !== 0,
  }));
  const singles = Array.from({ length: 20 }, (_, i) => ({ versionId, callId: `one-${i}`, latencyMs: 5, inputTokens: 1000, success: true }));
  const results = await Promise.all([
    ...[one, two, one, two, one, two].map((s) => ok(s.url, t.key, RECORD_MANY, { i: batch })),
    ...singles.flatMap((c) => [one, two, one].map((s) => ok(s.url, t.key, RECORD, { i: c }))),
  ]);
  // Every batch got one receipt per call; exactly one answer per call id says "first time".
  const batchReceipts = results.slice(0, 6).map((r) => r.recordCalls);
  for (const receipts of batchReceipts) expect(receipts.map((r: any) => r.callId)).toEqual(batch.map((c) => c.callId));
  const firsts = batchReceipts.flat().filter((r: any) => !r.duplicate).length;
  expect(firsts).toBe(300);
  const singleFirsts = results.slice(6).filter((r) => !r.recordCall.duplicate).length;
  expect(singleFirsts).toBe(20);

  const [raw] = await withSql(
    db.url,
    (sql) => sql`
    SELECT count(*)::int AS n, sum(input_tokens)::bigint AS tokens, sum(cost_usd)::text AS cost FROM metric_calls WHERE workspace_id = ${t.workspaceId}`,
  );
  expect(raw!.n).toBe(320);
  const m = (await ok(two.url, t.key, 'query($v: ID!) { version(id: $v) { metrics { totalCalls inputTokens totalCost } } }', { v: versionId })).version.metrics;
  expect(m.totalCalls).toBe(320);
  expect(m.inputTokens).toBe(Number(raw!.tokens));
  expect(m.totalCost).toBe(Number(raw!.cost));
  const expectedInput = batch.reduce((s, c) => s + c.inputTokens, 0) + 20 * 1000;
  expect(m.inputTokens).toBe(expectedInput);
});

test('no acknowledged call is lost when the server is killed with SIGKILL right after acknowledging', async () => {
  const victim = await start();
  const t = await newTenant(victim.url, ADMIN_KEY);
  const { versionId } = await seedVersion(victim.url, t.key);
  const acked: string[] = [];
  let stop = false;
  let killed = false;
  let n = 0;
  const worker = async (w: number) => {
    while (!stop) {
      const callId = `kill-${w}-${n++}`;
      const r = await gql(victim.url, t.key, RECORD, { i: { versionId, callId, latencyMs: 3, success: true } }).catch(() => null);
      if (r?.data?.recordCall) {
        acked.push(callId);
        if (acked.length >= 400 && !killed) {
          killed = true;
          stop = true;
          victim.child.kill('SIGKILL'); // at once, in the same tick as the acknowledgement
        }
      } else if (killed || r === null) return;
    }
  };
  const batchWorker = async () => {
    let b = 0;
    while (!stop) {
      const calls = Array.from({ length: 50 }, (_, i) => ({ versionId, callId: `killb-${b}-${i}`, latencyMs: 4, success: true }));
      b++;
      const r = await gql(victim.url, t.key, RECORD_MANY, { i: calls }).catch(() => null);
      if (r?.data?.recordCalls) acked.push(...calls.map((c) => c.callId));
      else return;
    }
  };
  await Promise.all([...Array.from({ length: 8 }, (_, w) => worker(w)), batchWorker()]);
  await victim.exited;
  expect(killed).toBe(true);

  const again = await start();
  const [stored] = await withSql(
    db.url,
    (sql) => sql`SELECT count(*)::int AS n FROM metric_calls WHERE workspace_id = ${t.workspaceId} AND call_id IN ${sql(acked)}`,
  );
  expect(stored!.n).toBe(acked.length);
  // Rollups were written in the same statement as the rows: the aggregates agree with the raw table.
  const [raw] = await withSql(db.url, (sql) => sql`SELECT count(*)::int AS n FROM metric_calls WHERE workspace_id = ${t.workspaceId}`);
  const m = (await ok(again.url, t.key, 'query($v: ID!) { version(id: $v) { metrics { totalCalls } } }', { v: versionId })).version.metrics;
  expect(m.totalCalls).toBe(raw!.n);
});
