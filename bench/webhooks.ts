/**
 * bench:webhooks — one compiled server process on a fresh Postgres database, a local receiver (node:http,
 * 200) in this process. Measures (1) events per second through the outbox to the receiver for a burst of
 * label moves, with the time from each move's commit (its mutation's response) to its delivery, p50/p99;
 * (2) label-move latency in a workspace WITH an endpoint (its deliveries run meanwhile) against a
 * workspace WITHOUT one, interleaved in the same run (the baseline). Every change writes its one outbox
 * row in both cases; the difference is the delivery work competing on the same process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createTestDatabase } from '../test/helpers/postgres';
import { BENCH_KEY, percentile as pct, postAs as post, runBench, spawnServer } from './harness';

const BURST = Number(process.env.BURST ?? 1000);
const PROMPTS = 20;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const MOVES_PER_ROUND = Number(process.env.MOVES ?? 60);

const median = (xs: number[]) => pct(xs, 50);

const SET = 'mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "staging", versionId: $v) { revision } }';

async function main() {
  const db = await createTestDatabase();
  // key: promptName@revision → arrival time
  const arrivals = new Map<string, number>();
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = performance.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { promptName?: string; revision?: number } };
      arrivals.set(`${body.data.promptName}@${body.data.revision}`, now);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const server = await spawnServer({
    DATABASE_URL: db.url,
    LOG_LEVEL: process.env.SHOW_LOG ? 'debug' : 'info',
    NODE_ENV: 'production',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_SECRET_KEY: 'bench-webhooks-server-key-0000001',
  });
  try {
    const workspace = async (name: string) =>
      (await post(server.url, BENCH_KEY, 'mutation($n: String!) { createWorkspace(name: $n) { adminKey } }', { n: name })).createWorkspace.adminKey as string;
    const withKey = await workspace('with-endpoint');
    const withoutKey = await workspace('without-endpoint');
    await post(server.url, withKey, 'mutation($u: String!) { createWebhook(input: { url: $u, events: ["label.moved"] }) { secret } }', { u: hookUrl });
    const seed = async (key: string, prefix: string) =>
      Promise.all(
        Array.from({ length: PROMPTS }, async (_, i) => {
          const name = `${prefix}/p${i}`;
          const p = await post(
            server.url,
            key,
            'mutation($n: String!) { createPrompt(input: { name: $n, version: { template: "A" } }) { activeVersion { id } } }',
            { n: name },
          );
          const v2 = await post(server.url, key, 'mutation($n: String!) { createVersion(input: { promptName: $n, template: "B" }) { id } }', { n: name });
          return { name, versions: [p.createPrompt.activeVersion.id as string, v2.createVersion.id as string], k: 0 };
        }),
      );
    const withPrompts = await seed(withKey, 'with');
    const withoutPrompts = await seed(withoutKey, 'without');
    const move = async (key: string, p: { name: string; versions: string[]; k: number }) => {
      const r = await post(server.url, key, SET, { n: p.name, v: p.versions[p.k++ % 2] });
      return { at: performance.now(), key: `${p.name}@${r.setLabel.revision}` };
    };

    // (1) Burst: BURST moves, PROMPTS at a time, in the workspace with an endpoint.
    arrivals.clear();
    const committed: { at: number; key: string }[] = [];
    const t0 = performance.now();
    await Promise.all(
      withPrompts.map(async (p) => {
        for (let i = 0; i < BURST / PROMPTS; i++) committed.push(await move(withKey, p));
      }),
    );
    const tCommitted = performance.now();
    const deadline = Date.now() + 120_000;
    while (arrivals.size < committed.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const tDelivered = Math.max(...arrivals.values());
    const lat = committed.map((c) => arrivals.get(c.key)! - c.at).filter((x) => Number.isFinite(x));
    console.log(
      `\nburst: ${committed.length} label moves committed in ${((tCommitted - t0) / 1000).toFixed(2)} s (${(committed.length / ((tCommitted - t0) / 1000)).toFixed(0)} moves/s); ${arrivals.size} delivered`,
    );
    console.log('\n| measure | value |\n|---|---|');
    console.log(`| events delivered per second (first commit → last delivery) | ${(arrivals.size / ((tDelivered - t0) / 1000)).toFixed(0)} |`);
    console.log(`| commit → delivery p50 (ms) | ${pct(lat, 50).toFixed(1)} |`);
    console.log(`| commit → delivery p99 (ms) | ${pct(lat, 99).toFixed(1)} |`);
    console.log(`| commit → delivery max (ms) | ${Math.max(...lat).toFixed(1)} |`);

    // (2) Label-move latency with vs without endpoints, interleaved rounds, sequential moves.
    const sequential = async (key: string, ps: typeof withPrompts) => {
      const xs: number[] = [];
      for (let i = 0; i < MOVES_PER_ROUND; i++) {
        const start = performance.now();
        await move(key, ps[i % ps.length]!);
        xs.push(performance.now() - start);
      }
      return xs;
    };
    const roundsWith: number[][] = [];
    const roundsWithout: number[][] = [];
    await sequential(withoutKey, withoutPrompts); // warm-up
    for (let r = 0; r < ROUNDS; r++) {
      roundsWithout.push(await sequential(withoutKey, withoutPrompts));
      roundsWith.push(await sequential(withKey, withPrompts));
    }
    const ratios = roundsWith.map((w, i) => median(w) / median(roundsWithout[i]!));
    const all = (rs: number[][]) => rs.flat();
    console.log(`\nlabel move latency, ${ROUNDS} interleaved rounds × ${MOVES_PER_ROUND} sequential setLabel calls each`);
    console.log('\n| case | moves | p50 (ms) | p99 (ms) | with/without (median of per-round p50 ratios) |\n|---|---|---|---|---|');
    console.log(
      `| without endpoints (baseline) | ${all(roundsWithout).length} | ${pct(all(roundsWithout), 50).toFixed(2)} | ${pct(all(roundsWithout), 99).toFixed(2)} | 1.00 |`,
    );
    console.log(
      `| with an endpoint (deliveries running) | ${all(roundsWith).length} | ${pct(all(roundsWith), 50).toFixed(2)} | ${pct(all(roundsWith), 99).toFixed(2)} | ${median(ratios).toFixed(2)} |`,
    );
  } finally {
    if (process.env.SHOW_LOG)
      console.log(
        server
          .output()
          .split('\n')
          .filter((l) => l.includes('webhook pass'))
          .slice(0, 60)
          .join('\n'),
      );
    await server.kill('SIGTERM');
    receiver.close();
    await db.drop();
  }
}

runBench(main);
