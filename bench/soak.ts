/**
 * bench:soak — one server process (Postgres, a private Redis) under a FIXED rate of mixed load for
 * SOAK_MINUTES (default 10): HTTP resolvePrompt, recordCall, a few dozen graphql-ws promptChanged
 * subscribers, and a label move every few seconds (setLabel alternating two versions) that every
 * subscriber must receive. The server's own RSS, heap and event-loop delay are scraped from its
 * /metrics every 10 s; each minute is a row, and the first minute after warm-up is the baseline the
 * later minutes are compared with (same run). The verdict is memory flatness after warm-up (see
 * soak-stats.ts), with no errors, no missed move and the rate held.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createTestDatabase } from '../test/helpers/postgres';
import { startPrivateRedis } from '../test/helpers/redis-server';
import { startFixedRate, perTick, type FixedRate } from './fixed-rate';
import { BENCH_KEY, postAs as post, runBench, spawnServer } from './harness';
import { DEFAULT_BARS, MIN_JUDGED_MINUTES, minuteRows, verdict, type MemorySample, type MinuteCounts } from './soak-stats';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const RESOLVE_RPS = Number(process.env.SOAK_RESOLVE_RPS ?? 100);
const RECORD_RPS = Number(process.env.SOAK_RECORD_RPS ?? 50);
const MOVE_SECONDS = Number(process.env.SOAK_MOVE_SECONDS ?? 3);
const SOCKETS = 8;
const SUBS_PER_SOCKET = Number(process.env.SOAK_SUBS_PER_SOCKET ?? 5);
/** Two minutes of warm-up (JIT, pools, caches); a shorter run keeps one minute to measure. */
const FULL_WARMUP_MINUTES = 2;
const WARMUP_MINUTES = Math.min(FULL_WARMUP_MINUTES, MINUTES - 1);
const TICK_MS = 50;
const SAMPLE_MS = 5_000;
/** A late wake-up serves up to 1 s of owed ticks (jitter); longer stalls are skipped, not replayed. */
const MAX_CATCH_UP = 20;
/** Requests of one kind in flight beyond this are shed (counted as skipped ticks): a slow server must not pile up a backlog. */
const MAX_IN_FLIGHT = 200;

const RESOLVE = '{ resolvePrompt(name: "soak", variables: { x: "1" }) { versionNumber text } }';
const RECORD = 'mutation($i: CallInput!) { recordCall(input: $i) { callId } }';
const MOVE = 'mutation($v: ID!) { setLabel(promptName: "soak", label: "production", versionId: $v) { revision } }';

type Metrics = Record<string, number>;
async function scrape(url: string): Promise<Metrics> {
  const text = await (await fetch(url.replace('/graphql', '/metrics'))).text();
  const out: Metrics = {};
  for (const m of text.matchAll(/^([a-z0-9_]+) (\S+)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

async function main() {
  if (!(MINUTES >= 2)) throw new Error('SOAK_MINUTES must be at least 2 (one minute of warm-up, one measured)');
  const [db, redis] = await Promise.all([createTestDatabase(), startPrivateRedis()]);
  const server = await spawnServer({ DATABASE_URL: db.url, REDIS_URL: redis.url, LOG_LEVEL: 'info', NODE_ENV: 'production' }); // info: spawnServer waits for the "serving" line
  const clients: Client[] = [];
  const tickers: FixedRate[] = [];
  try {
    const ws = await post(server.url, BENCH_KEY, 'mutation { createWorkspace(name: "soak") { adminKey } }');
    const key = ws.createWorkspace.adminKey as string;
    const created = await post(server.url, key, 'mutation { createPrompt(input: { name: "soak", version: { template: "v1 {{x}}" } }) { versions { id } } }');
    const v1 = created.createPrompt.versions[0].id as string;
    const v2 = (await post(server.url, key, 'mutation { createVersion(input: { promptName: "soak", template: "v2 {{x}}" }) { id } }')).createVersion
      .id as string;
    await post(server.url, key, MOVE, { v: v1 });

    // Counters of the minute in progress; `errorSamples` keeps the first few messages to print.
    let current: MinuteCounts = { ok: 0, errors: 0, events: 0, skippedTicks: 0, ticks: 0 };
    const errorSamples: string[] = [];
    const fail = (what: string, detail: unknown) => {
      current.errors++;
      if (errorSamples.length < 5) errorSamples.push(`${what}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`.slice(0, 300));
    };

    // Subscribers: each keeps the revisions it was sent; every move's revision must be among them.
    const received: Set<number>[] = [];
    let measuring = false;
    for (let s = 0; s < SOCKETS; s++) {
      const client = createClient({
        url: server.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${key}` },
        retryAttempts: 0,
      });
      clients.push(client);
      for (let i = 0; i < SUBS_PER_SOCKET; i++) {
        const revisions = new Set<number>();
        received.push(revisions);
        client.subscribe<{ promptChanged: { revision: number } }>(
          { query: 'subscription { promptChanged(name: "soak") { revision kind } }' },
          {
            next: (v) => {
              if (v.errors || !v.data) return fail('subscription event', v.errors);
              revisions.add(v.data.promptChanged.revision);
              if (measuring) current.events++;
            },
            error: (e) => fail('subscription', e instanceof Error ? e.message : e),
            complete: () => measuring && fail('subscription', 'completed by the server'),
          },
        );
      }
    }
    // Warm-up of the subscriptions: move until every subscriber has had an event (they register asynchronously).
    let flip = false;
    const moveOnce = async () => {
      flip = !flip;
      return (await post(server.url, key, MOVE, { v: flip ? v2 : v1 })).setLabel.revision as number;
    };
    for (let n = 0; received.some((r) => r.size === 0); n++) {
      if (n > 100) throw new Error(`only ${received.filter((r) => r.size > 0).length} of ${received.length} subscribers live`);
      await moveOnce();
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(
      `soak: ${MINUTES} min (warm-up ${WARMUP_MINUTES}), ${RESOLVE_RPS} resolves/s, ${RECORD_RPS} recordCalls/s, ` +
        `${received.length} subscribers on ${SOCKETS} sockets, a label move every ${MOVE_SECONDS} s; server pid ${server.child.pid}`,
    );

    const skip = (n: number) => (current.skippedTicks += n);
    // One kind of load on its own ticker, with its own in-flight cap.
    const load = (ratePerSecond: number, request: () => Promise<{ data?: unknown; errors?: unknown }>, what: string) => {
      const count = perTick(ratePerSecond, TICK_MS);
      let inFlight = 0;
      return startFixedRate(
        TICK_MS,
        (ticks) => {
          const n = count(ticks);
          if (n === 0) return;
          if (inFlight + n > MAX_IN_FLIGHT) return void (current.skippedTicks += ticks);
          for (let i = 0; i < n; i++) {
            inFlight++;
            request()
              .then((r) => (r.errors ? fail(what, r.errors) : current.ok++))
              .catch((e: unknown) => fail(what, e instanceof Error ? e.message : e))
              .finally(() => inFlight--);
          }
        },
        { maxCatchUp: MAX_CATCH_UP, onSkipped: skip },
      );
    };
    const gql = async (query: string, variables?: unknown) => {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: unknown; errors?: unknown };
      return res.ok ? body : { errors: body.errors ?? `HTTP ${res.status}` };
    };

    await scrape(server.url); // opens the first event-loop window
    const t0 = performance.now();
    measuring = true;
    const minutes: MinuteCounts[] = [];
    const samples: MemorySample[] = [];
    let ticksBefore = 0;
    const moves: number[] = [];
    let moving = false;
    tickers.push(
      load(RESOLVE_RPS, () => gql(RESOLVE), 'resolvePrompt'),
      load(
        RECORD_RPS,
        () => gql(RECORD, { i: { versionId: Math.random() < 0.5 ? v1 : v2, callId: randomUUID(), latencyMs: 120 + Math.random() * 50, success: true } }),
        'recordCall',
      ),
      startFixedRate(
        MOVE_SECONDS * 1000,
        () => {
          if (moving) return void current.skippedTicks++;
          moving = true;
          moveOnce()
            .then((revision) => {
              moves.push(revision);
              current.ok++;
            })
            .catch((e: unknown) => fail('setLabel', e instanceof Error ? e.message : e))
            .finally(() => (moving = false));
        },
        { maxCatchUp: 1, onSkipped: skip },
      ),
    );

    console.log(
      '\n| minute | RSS MB | heap used MB | heap after major GC MB | event-loop p99 ms (worst 5-s window) | requests ok | errors | events received | skipped ticks |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (let sampleNo = 1; sampleNo <= (MINUTES * 60_000) / SAMPLE_MS; sampleNo++) {
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + sampleNo * SAMPLE_MS - performance.now())));
      const m = await scrape(server.url).catch((e: unknown) => (fail('/metrics', e instanceof Error ? e.message : e), null));
      if (m)
        samples.push({
          at: (sampleNo * SAMPLE_MS) / 60_000, // the scheduled time, so the minute's last sample is not counted in the next
          rssMb: m.process_resident_memory_bytes! / 2 ** 20,
          heapMb: m.nodejs_heap_used_bytes! / 2 ** 20,
          heapAfterGcMb: m.nodejs_heap_used_after_major_gc_bytes === undefined ? null : m.nodejs_heap_used_after_major_gc_bytes / 2 ** 20,
          loopP99Ms: m.nodejs_eventloop_delay_p99_seconds! * 1000,
        });
      if ((sampleNo * SAMPLE_MS) % 60_000 === 0) {
        const due = tickers.reduce((t, x) => t + x.ticks(), 0);
        minutes.push({ ...current, ticks: due - ticksBefore });
        ticksBefore = due;
        current = { ok: 0, errors: 0, events: 0, skippedTicks: 0, ticks: 0 };
        const row = minuteRows(samples, minutes).at(-1)!;
        console.log(
          `| ${row.minute}${row.minute <= WARMUP_MINUTES ? ' (warm-up)' : ''} | ${row.rssMb.toFixed(1)} | ${row.heapMb.toFixed(1)} | ${Number.isNaN(row.heapAfterGcMb) ? '–' : row.heapAfterGcMb.toFixed(1)} | ${row.loopP99Ms.toFixed(1)} | ${row.ok} | ${row.errors} | ${row.events} | ${row.skippedTicks} |`,
        );
      }
    }
    for (const t of tickers) t.stop();

    // Settle: requests in flight finish (their outcomes go to a last, unprinted bucket) and the last move reaches everyone.
    const deadline = Date.now() + 10_000;
    while (moving && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20)); // a move in flight counts too
    const last = moves.at(-1);
    while (last !== undefined && received.some((r) => !r.has(last)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    const tail = current;
    const missedEvents = received.reduce((s, r) => s + moves.filter((m) => !r.has(m)).length, 0);
    const rows = minuteRows(samples, minutes);
    const errors = rows.reduce((s, r) => s + r.errors, 0) + tail.errors;
    const ticks = tickers.reduce((s, t) => s + t.ticks(), 0);
    const skippedTicks = rows.reduce((s, r) => s + r.skippedTicks, 0) + tail.skippedTicks;

    const base = rows.find((r) => r.minute === WARMUP_MINUTES + 1)!;
    console.log(`\nBaseline: minute ${base.minute}, the first after warm-up. Later minutes as a ratio of it:\n`);
    const v = verdict(samples, rows, WARMUP_MINUTES, { errors, missedEvents });
    const heap = (r: typeof base) => (v.heapSeries === 'after major GC' ? r.heapAfterGcMb : r.heapMb);
    console.log(`| minute | heap (${v.heapSeries}) vs baseline | RSS vs baseline | requests ok vs baseline | event-loop p99 vs baseline |`);
    console.log('|---|---|---|---|---|');
    for (const r of rows.filter((x) => x.minute > WARMUP_MINUTES))
      console.log(
        `| ${r.minute} | ${(heap(r) / heap(base)).toFixed(3)} | ${(r.rssMb / base.rssMb).toFixed(3)} | ${(r.ok / base.ok).toFixed(3)} | ${(r.loopP99Ms / base.loopP99Ms).toFixed(2)} |`,
      );

    const expectedEvents = moves.length * received.length;
    console.log(
      `\n${moves.length} label moves × ${received.length} subscribers = ${expectedEvents} events expected, ${missedEvents} missed; ` +
        `${errors} errors; ${skippedTicks} of ${ticks} ticks skipped`,
    );
    for (const e of errorSamples) console.log(`  error: ${e}`);
    console.log(
      `after warm-up (${samples.filter((s) => s.at > WARMUP_MINUTES).length} samples): heap (${v.heapSeries}) slope ${v.heapSlope.toFixed(3)} MB/min ` +
        `(bar < ${DEFAULT_BARS.heapSlopeMbPerMin}), RSS slope ${v.rssSlope.toFixed(3)} MB/min (bar < ${DEFAULT_BARS.rssSlopeMbPerMin}), ` +
        `last minute's heap ${(v.lastHeapOverMin * 100).toFixed(1)} % over the post-warm-up minimum (bar ≤ ${DEFAULT_BARS.lastHeapOverMin * 100} %)`,
    );
    const health = 'no errors, every move received, the rate held';
    if (v.failures.length > 0) console.log(`verdict: FAIL\n  - ${v.failures.join('\n  - ')}`);
    else if (v.judged) console.log(`verdict: PASS (memory flat; ${health})`);
    else
      console.log(
        `verdict: ${health}; memory NOT judged: under ${MIN_JUDGED_MINUTES} minutes after warm-up (run SOAK_MINUTES ≥ ${FULL_WARMUP_MINUTES + MIN_JUDGED_MINUTES})`,
      );
    if (v.failures.length > 0) throw new Error(`soak failed: ${v.failures.join('; ')}`);
  } finally {
    for (const t of tickers) t.stop();
    await Promise.all(clients.map((c) => c.dispose()));
    await server.kill();
    await Promise.all([db.drop(), redis.stop()]);
  }
}

runBench(main);
