/**
 * bench:resolve — resolvePrompt on a warm prompt against the trivial query `{ __typename }` on the
 * same server (same auth, same HTTP path). Goal: ≥ 80% of the trivial query's throughput.
 */
import { compare, gqlPost, spawnServer } from './harness';

async function main(): Promise<void> {
  const server = await spawnServer({ DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'memory:' });
  try {
    await gqlPost(
      server.url,
      'mutation { createPrompt(input: { name: "bench/greeting", version: { template: "Hello {{name}}, you asked about {{topic}}. Answer in {{language}}." } }) { id } }',
    );
    const resolve = 'query($v: JSON) { resolvePrompt(name: "bench/greeting", variables: $v) { text versionId model } }';
    await gqlPost(server.url, resolve, { v: { name: 'Ann', topic: 'billing', language: 'English' } });
    const rows = await compare(server.url, { name: '{ __typename } (baseline)', body: JSON.stringify({ query: '{ __typename }' }) }, [
      { name: 'resolvePrompt (warm)', body: JSON.stringify({ query: resolve, variables: { v: { name: 'Ann', topic: 'billing', language: 'English' } } }) },
    ]);
    const ratio = rows[1]!.rps / rows[0]!.rps;
    console.log(`\nresolvePrompt / trivial = ${(ratio * 100).toFixed(0)}% (goal ≥ 80%)`);
  } finally {
    await server.kill();
  }
}

void main();
