/**
 * bench:ingest — calls stored durably per second, on real Postgres (a fresh database) with the
 * compiled server in its own process: recordCalls in batches of 100 and concurrent single
 * recordCalls (group commit), each against the trivial query `{ __typename }` on the same server
 * (interleaved, same run), and against one INSERT + COMMIT per call issued straight from this
 * process. Afterwards every acknowledged call must be in the table.
 * Bars: recordCalls ≥ 20,000 calls/s; single recordCall ≥ 50% of the trivial query's req/s.
 */
import postgres from 'postgres';
import { createTestDatabase } from '../test/helpers/postgres';
import { compare, gqlPost, spawnServer } from './harness';

// Group commit trades latency for throughput: its throughput grows with concurrency, so the
// comparison runs at a realistic fan-in (many service instances reporting at once); both the
// baseline and every case use the same number of connections.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const BATCH = 100;

/** Postgres here allows 100 connections; the server's pool holds 10 of them. */
const NAIVE_CONNECTIONS = Math.min(CONNECTIONS, 40);

/** The naive baseline: each call its own INSERT and COMMIT, NAIVE_CONNECTIONS at a time, for `seconds`. */
async function insertPerCall(url: string, versionId: string, promptId: string, workspaceId: string, seconds: number): Promise<number> {
  const sql = postgres(url, { max: NAIVE_CONNECTIONS, onnotice: () => {} });
  let n = 0;
  const until = Date.now() + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: NAIVE_CONNECTIONS }, async (_, w) => {
        while (Date.now() < until) {
          await sql`INSERT INTO metric_calls (workspace_id, call_id, prompt_id, version_id, model, latency_ms, success, at, fingerprint)
            VALUES (${workspaceId}, ${`naive-${w}-${n}`}, ${promptId}, ${versionId}, 'gpt-4o', 12.5, true, now(), 'x')`;
          n++;
        }
      }),
    );
  } finally {
    await sql.end();
  }
  return n / seconds;
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  const server = await spawnServer({ DATABASE_URL: db.url, RATE_LIMIT_MAX: '0' });
  try {
    const created = await gqlPost(
      server.url,
      'mutation { createPrompt(input: { name: "bench/ingest", version: { template: "Hi {{name}}", model: "gpt-4o" } }) { id activeVersion { id } } }',
    );
    const promptId: string = created.data.createPrompt.id;
    const versionId: string = created.data.createPrompt.activeVersion.id;
    const me = await gqlPost(server.url, '{ me { workspace { id } } }');
    const workspaceId: string = me.data.me.workspace.id;

    // No callId: the server gives each call a fresh one, so every request stores new rows.
    const call = (i: number) => ({
      versionId,
      latencyMs: 100 + (i % 50) * 7.5,
      inputTokens: 500 + i,
      outputTokens: 120,
      success: i % 10 !== 0,
      qualityScore: (i % 5) / 4,
    });
    const batch = Array.from({ length: BATCH }, (_, i) => call(i));
    const rows = await compare(
      server.url,
      { name: '{ __typename } (baseline)', body: JSON.stringify({ query: '{ __typename }' }) },
      [
        {
          name: `recordCalls (${BATCH} calls per request)`,
          body: JSON.stringify({ query: 'mutation($i: [CallInput!]!) { recordCalls(inputs: $i) { callId } }', variables: { i: batch } }),
        },
        {
          name: 'recordCall (single, concurrent)',
          body: JSON.stringify({ query: 'mutation($i: CallInput!) { recordCall(input: $i) { callId costUsd } }', variables: { i: call(7) } }),
        },
      ],
      { rounds: Number(process.env.BENCH_ROUNDS ?? 3), seconds: Number(process.env.BENCH_SECONDS ?? 5), connections: CONNECTIONS },
    );
    const naive = await insertPerCall(db.url, versionId, promptId, workspaceId, 5);

    const [base, many, single] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    const acked = many.ok * BATCH + single.ok;
    const check = postgres(db.url, { max: 1, onnotice: () => {} });
    const stored = Number((await check`SELECT count(*) AS n FROM metric_calls WHERE call_id NOT LIKE 'naive-%'`)[0]!.n);
    await check.end();
    console.log(`\n| durable path | calls/s | vs one INSERT+COMMIT per call |`);
    console.log('|---|---|---|');
    console.log(`| recordCalls, batches of ${BATCH} | ${Math.round(many.rps * BATCH)} | ${((many.rps * BATCH) / naive).toFixed(1)}x |`);
    console.log(`| recordCall, ${CONNECTIONS} concurrent | ${Math.round(single.rps)} | ${(single.rps / naive).toFixed(1)}x |`);
    console.log(`| one INSERT + COMMIT per call (${NAIVE_CONNECTIONS} connections, from the bench) | ${Math.round(naive)} | 1.0x |`);
    console.log(`\nrecordCalls: ${Math.round(many.rps * BATCH)} calls/s (bar ≥ 20,000)`);
    console.log(`recordCall / trivial query = ${((single.rps / base.rps) * 100).toFixed(0)}% (bar ≥ 50%)`);
    console.log(`acknowledged calls: ${acked}, stored: ${stored} (${stored >= acked ? 'none lost' : 'LOST CALLS'})`);
  } finally {
    await server.kill();
    await db.drop();
  }
}

void main();
