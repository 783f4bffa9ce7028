/**
 * bench:propagation — two server processes on one Postgres database and a private Redis, 1,000
 * promptChanged subscribers spread over them (50 graphql-ws sockets × 20 subscriptions). For each
 * change made on instance one: the time from the mutation's response to each subscriber's event,
 * and to instance two's resolvePrompt returning the new version. Baseline, measured in the same run:
 * a trivial `{ __typename }` round trip to instance two.
 */
import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createTestDatabase } from '../test/helpers/postgres';
import { startPrivateRedis } from '../test/helpers/redis-server';
import { BENCH_KEY, percentile as pct, postAs as post, runBench, spawnServer } from './harness';

const CHANGES = Number(process.env.CHANGES ?? 40);
const SOCKETS = 50;
const SUBS_PER_SOCKET = 20;

const row = (name: string, xs: number[], base: number) =>
  `| ${name} | ${xs.length} | ${pct(xs, 50).toFixed(2)} | ${pct(xs, 99).toFixed(2)} | ${Math.max(...xs).toFixed(2)} | ${(pct(xs, 50) / base).toFixed(2)} |`;

async function main() {
  const [db, redis] = await Promise.all([createTestDatabase(), startPrivateRedis()]);
  const env = { DATABASE_URL: db.url, REDIS_URL: redis.url, LOG_LEVEL: 'warn', NODE_ENV: 'production' };
  const one = await spawnServer({ ...env, LOG_LEVEL: 'info' });
  const two = await spawnServer({ ...env, LOG_LEVEL: 'info' });
  const clients: Client[] = [];
  try {
    const ws = await post(one.url, BENCH_KEY, 'mutation { createWorkspace(name: "bench") { adminKey } }');
    const key = ws.createWorkspace.adminKey as string;
    await post(one.url, key, 'mutation { createPrompt(input: { name: "bench", version: { template: "v0 {{x}}" } }) { id } }');
    await post(two.url, key, '{ resolvePrompt(name: "bench", variables: { x: "1" }) { text } }');

    // revision → arrival times (ms, performance clock) of every subscriber's event
    const arrivals = new Map<number, number[]>();
    let live = 0;
    for (let s = 0; s < SOCKETS; s++) {
      const client = createClient({
        url: (s % 2 ? two : one).url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${key}` },
        retryAttempts: 0,
      });
      clients.push(client);
      for (let i = 0; i < SUBS_PER_SOCKET; i++) {
        let first = true;
        client.subscribe<{ promptChanged: { revision: number } }>(
          { query: 'subscription { promptChanged(name: "bench") { revision kind version { number } } }' },
          {
            next: (v) => {
              const now = performance.now();
              if (first) {
                first = false;
                live++;
              }
              const r = v.data!.promptChanged.revision;
              arrivals.set(r, [...(arrivals.get(r) ?? []), now]);
            },
            error: (e) => console.error('subscription error', e),
            complete: () => undefined,
          },
        );
      }
    }
    // Warm-up: change until every subscriber has had an event (subscriptions register asynchronously).
    for (let n = 0; live < SOCKETS * SUBS_PER_SOCKET; n++) {
      if (n > 200) throw new Error(`only ${live} subscribers live`);
      await post(one.url, key, 'mutation($d: String!) { updatePrompt(name: "bench", input: { description: $d }) { revision } }', { d: `warm ${n}` });
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`${live} subscribers live on 2 instances (${SOCKETS} sockets)`);

    const toEvent: number[] = [];
    const toResolve: number[] = [];
    const baseline: number[] = [];
    let early = 0;
    for (let c = 1; c <= CHANGES; c++) {
      const t0 = performance.now();
      await post(two.url, key, '{ __typename }');
      baseline.push(performance.now() - t0);

      const created = await post(
        one.url,
        key,
        'mutation($t: String!) { createVersion(input: { promptName: "bench", template: $t, labels: ["production"] }) { number } }',
        { t: `v${c} {{x}}` },
      );
      const answered = performance.now();
      const number = created.createVersion.number as number;
      for (;;) {
        const r = await post(two.url, key, '{ resolvePrompt(name: "bench", variables: { x: "1" }) { versionNumber } }');
        if (r.resolvePrompt.versionNumber === number) break;
      }
      toResolve.push(performance.now() - answered);
      const { prompt } = await post(one.url, key, '{ prompt(name: "bench") { revision } }');
      const revision = prompt.revision as number;
      const deadline = Date.now() + 10_000;
      while ((arrivals.get(revision)?.length ?? 0) < live && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const got = arrivals.get(revision) ?? [];
      if (got.length < live) console.error(`change ${c}: ${got.length}/${live} events within 10 s`);
      for (const at of got) {
        if (at < answered) early++;
        toEvent.push(Math.max(0, at - answered));
      }
      await new Promise((r) => setTimeout(r, 100)); // let both instances go idle between changes
    }
    const base = pct(baseline, 50);
    console.log(`\n${CHANGES} changes on instance one; ${early} of ${toEvent.length} events arrived before the mutation's response (counted as 0 ms)\n`);
    console.log('| measure (ms from the mutation response) | samples | p50 | p99 | max | p50 vs baseline |');
    console.log('|---|---|---|---|---|---|');
    console.log(row('`{ __typename }` round trip to instance two (baseline)', baseline, base));
    console.log(row('event at each of 1,000 subscribers (both instances)', toEvent, base));
    console.log(row("instance two's resolvePrompt returns the new version", toResolve, base));
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    await Promise.all([one.kill(), two.kill()]);
    await Promise.all([db.drop(), redis.stop()]);
  }
}

runBench(main);
