/**
 * Shared benchmark harness: start the real server in its own process (so the load generator does not
 * share its event loop), drive it with autocannon, and print a table of each case against a
 * baseline measured in the same run, interleaved (baseline, case, baseline, case…) because the
 * machine is shared and noisy.
 */
import autocannon from 'autocannon';
import { spawnServer as spawnTestServer, type ServerProcess } from '../test/helpers/server';

export type { ServerProcess };

/** A server for throughput: the per-key rate limit is off unless the bench asks for it (bench:security does). */
export const spawnServer = (env: Record<string, string>, timeoutMs?: number) => spawnTestServer({ RATE_LIMIT_MAX: '0', ...env }, timeoutMs);
export const BENCH_KEY = 'test-admin-key-0123456789';

export type HttpCase = { name: string; body: string };
export type Measured = { name: string; rps: number; p50: number; p99: number; errors: number; /** 2xx responses */ ok: number };

/** One GraphQL request as `key`: the whole response; GraphQL errors throw (a bench's setup must not fail quietly). */
async function request(url: string, key: string, query: string, variables?: unknown): Promise<{ data?: any; errors?: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await res.json()) as { data?: any; errors?: unknown };
  if (json.errors) throw new Error(`bench request failed: ${JSON.stringify(json.errors)}`);
  return json;
}

/** As the instance admin; the whole response. */
export async function gqlPost(url: string, query: string, variables?: unknown): Promise<any> {
  return request(url, BENCH_KEY, query, variables);
}

/** As `key` (a workspace's key); its `data`. */
export async function postAs(url: string, key: string, query: string, variables?: unknown): Promise<any> {
  return (await request(url, key, query, variables)).data;
}

/** Nearest-rank percentile `p` (0..100) of samples. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** Runs a bench's main and exits with its outcome (servers and sockets it leaves do not keep the process). */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

export async function measure(url: string, c: HttpCase, seconds: number, connections: number): Promise<Measured> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_KEY}` },
    body: c.body,
    connections,
    duration: seconds,
  });
  return {
    name: c.name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    ok: result['2xx'],
  };
}

/** Runs baseline and cases alternately `rounds` times; reports the median of each and the ratio to the baseline. */
export async function compare(url: string, baseline: HttpCase, cases: HttpCase[], options = { rounds: 3, seconds: 5, connections: 20 }) {
  const runs = new Map<string, Measured[]>();
  const warm = new Map<string, number>();
  // Warm-up: JIT and caches settle before anything is recorded.
  for (const c of [baseline, ...cases]) warm.set(c.name, (await measure(url, c, 2, options.connections)).ok);
  for (let r = 0; r < options.rounds; r++) {
    for (const c of [baseline, ...cases]) {
      const m = await measure(url, c, options.seconds, options.connections);
      runs.set(c.name, [...(runs.get(c.name) ?? []), m]);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rows = [baseline, ...cases].map((c) => {
    const ms = runs.get(c.name)!;
    return {
      name: c.name,
      rps: median(ms.map((m) => m.rps)),
      p50: median(ms.map((m) => m.p50)),
      p99: median(ms.map((m) => m.p99)),
      errors: ms.reduce((s, m) => s + m.errors, 0),
      ok: ms.reduce((s, m) => s + m.ok, warm.get(c.name)!),
    };
  });
  const base = rows[0]!.rps;
  console.log(`\n| case | req/s (median of ${options.rounds}) | p50 ms | p99 ms | errors | vs baseline |`);
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.name} | ${Math.round(row.rps)} | ${row.p50} | ${row.p99} | ${row.errors} | ${(row.rps / base).toFixed(2)} |`);
  return rows;
}
