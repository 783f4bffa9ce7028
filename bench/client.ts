/**
 * bench:client — a warm local `client.resolve` (in this process) against the server round trip
 * (`resolvePrompt` over HTTP with autocannon, 20 connections) on the same prompt, interleaved in
 * 3 rounds on the same machine. Goal: local ≥ 100× the round trip's throughput.
 */
import { createPromptClient } from '../src/client';
import { BENCH_KEY, gqlPost, measure, spawnServer } from './harness';

const VARIABLES = { name: 'Ann', topic: 'billing', language: 'English' };

/** Sequential awaited resolves for `ms` (what one service request path pays per call). */
async function localOpsPerSecond(client: ReturnType<typeof createPromptClient>, ms: number): Promise<number> {
  let n = 0;
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 1_000; i++) await client.resolve('bench/greeting', VARIABLES);
    n += 1_000;
  }
  return n / ((performance.now() - start) / 1_000);
}

async function main(): Promise<void> {
  const server = await spawnServer({ DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'memory:' });
  const client = createPromptClient({ url: server.url, apiKey: BENCH_KEY });
  try {
    await gqlPost(
      server.url,
      'mutation { createPrompt(input: { name: "bench/greeting", version: { template: "Hello {{name}}, you asked about {{topic}}. Answer in {{language}}." } }) { id } }',
    );
    const query = 'query($v: JSON) { resolvePrompt(name: "bench/greeting", variables: $v) { text versionId model } }';
    const http = { name: 'resolvePrompt over HTTP', body: JSON.stringify({ query, variables: { v: VARIABLES } }) };
    const first = await client.resolve('bench/greeting', VARIABLES);
    if (first.stale || first.text !== 'Hello Ann, you asked about billing. Answer in English.') throw new Error(`unexpected: ${JSON.stringify(first)}`);
    await measure(server.url, http, 2, 20);
    await localOpsPerSecond(client, 1_000);
    const remote: number[] = [];
    const local: number[] = [];
    for (let r = 0; r < 3; r++) {
      remote.push((await measure(server.url, http, 5, 20)).rps);
      local.push(await localOpsPerSecond(client, 3_000));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    const [rps, ops] = [median(remote), median(local)];
    console.log('\n| case | per second (median of 3) | vs round trip |');
    console.log('|---|---|---|');
    console.log(`| resolvePrompt over HTTP (20 connections, server in its own process) | ${Math.round(rps)} | 1.00 |`);
    console.log(`| client.resolve, warm (one caller, awaited) | ${Math.round(ops)} | ${(ops / rps).toFixed(0)} |`);
    console.log(`\nlocal / round trip = ${(ops / rps).toFixed(0)}× (goal ≥ 100×); fetches during the run: ${client.stats().fetches}`);
  } finally {
    await client.close();
    await server.kill();
  }
}

void main();
