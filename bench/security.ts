/**
 * bench:security — what the security layer costs on the hot path. The same warm resolvePrompt on two
 * servers (own processes, in-memory PGlite each, both on Redis): the per-key rate limit off, and on
 * (shared through Redis); plus a query at the depth/alias limits, which pays the shape rule and the
 * cost walk, and one rejected by the cost limit. Interleaved rounds; medians; ratios against the same run.
 */
import { gqlPost, measure, spawnServer, type HttpCase, type Measured } from './harness';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RESOLVE = 'query($v: JSON) { resolvePrompt(name: "bench/greeting", variables: $v) { text versionId model } }';
// Accepted: 15 aliases, depth 8, cost under the budget (so the request executes, on an almost empty workspace).
const AT_LIMITS = `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: prompts(first: 1) { edges { node { labels { version { prompt { labels { name } } } } } } }`).join(' ')} }`;
// Rejected by the cost limit before execution.
const OVER_COST = '{ prompts(first: 500) { edges { node { versions(first: 500) { id } } } } }';

async function main(): Promise<void> {
  const [off, on] = await Promise.all([
    spawnServer({ DATABASE_URL: 'memory:', REDIS_URL }),
    spawnServer({ DATABASE_URL: 'memory:', REDIS_URL, RATE_LIMIT_MAX: '10000000' }),
  ]);
  try {
    for (const s of [off, on])
      await gqlPost(s.url, 'mutation { createPrompt(input: { name: "bench/greeting", version: { template: "Hello {{name}}, about {{topic}}." } }) { id } }');
    const resolve: HttpCase = { name: 'resolvePrompt', body: JSON.stringify({ query: RESOLVE, variables: { v: { name: 'Ann', topic: 'billing' } } }) };
    const trivial: HttpCase = { name: '{ __typename }', body: JSON.stringify({ query: '{ __typename }' }) };
    const limits: HttpCase = { name: 'at the limits', body: JSON.stringify({ query: AT_LIMITS }) };
    const over: HttpCase = { name: 'over the cost limit', body: JSON.stringify({ query: OVER_COST }) };
    const runs: Record<string, Measured[]> = {};
    const plan: Array<[string, string, HttpCase]> = [
      ['resolvePrompt, rate limit off', off.url, resolve],
      ['resolvePrompt, rate limit on (Redis)', on.url, resolve],
      ['{ __typename }, rate limit off', off.url, trivial],
      ['15 aliases x depth 8 (runs; shape rule + cost walk), limit off', off.url, limits],
      ['over the cost budget (rejected with 400 before execution), limit off', off.url, over],
    ];
    for (const [, url, c] of plan) await measure(url, c, 2, 20); // warm-up
    for (let round = 0; round < 3; round++) {
      for (const [name, url, c] of plan) (runs[name] ??= []).push(await measure(url, c, 5, 20));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const rps = (name: string) => median(runs[name]!.map((m) => m.rps));
    const base = rps(plan[0]![0]);
    console.log('\n| case | req/s (median of 3) | p99 ms | errors | vs resolvePrompt, limit off |');
    console.log('|---|---|---|---|---|');
    for (const [name] of plan) {
      const ms = runs[name]!;
      console.log(
        `| ${name} | ${Math.round(rps(name))} | ${median(ms.map((m) => m.p99))} | ${ms.reduce((s, m) => s + m.errors, 0)} | ${(rps(name) / base).toFixed(2)} |`,
      );
    }
  } finally {
    await Promise.all([off.kill(), on.kill()]);
  }
}

void main();
