/**
 * A Postgres restart under load (issue 17 item 2; RELIABILITY R28/R31): a private cluster, two real
 * server processes on it and on the shared Redis, a steady open-loop load from this test (resolves,
 * createVersion, recordCalls at fixed rates, readiness polled), then `pg_ctl restart -m fast`, and
 * `pg_ctl stop -m immediate` for several seconds (longer than the bound) before starting it again.
 * Asserted: no server exits; no request takes longer than its bound; every failure is UNAVAILABLE;
 * resolves are served from cache throughout; readiness answers 503 during the outage and 200 after;
 * nothing fails once the database is back (after a short settling window); what the API acknowledged
 * is stored exactly once (calls) and version numbers are gap-free.
 */
import { randomUUID } from 'node:crypto';
import { ok } from '../helpers/graphql';
import { withSql } from '../helpers/postgres';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres';
import { createPromptWith, newTenant } from '../helpers/seed';
import { ADMIN_KEY, REDIS_URL, spawnServer, type ServerProcess } from '../helpers/server';

const ACQUIRE_TIMEOUT_MS = 2_000;
const REQUEST_TIMEOUT_MS = 4_000;
/** A request's bound: the database deadline plus generous slack for a loaded 2-core machine (HTTP, auth, JSON). */
const BOUND_MS = REQUEST_TIMEOUT_MS + 5_000;
/** After the database accepts connections again, this long for every instance to notice; later nothing may fail. */
const SETTLE_MS = 4_000;
/** The outage of the second scenario: longer than the bound, so a request that waited for the database would show. */
const OUTAGE_MS = 11_000;

type Kind = 'resolve' | 'createVersion' | 'recordCalls';
type Outcome = { kind: Kind; server: number; start: number; end: number; code: string | null; detail?: string; data?: any };

let pg: PrivatePostgres;
const servers: ServerProcess[] = [];
let key: string;
let workspaceId: string;
let versionId: string;
/** Versions are added to these all along (each evicts its cache entry: a change must be seen)... */
const WRITTEN = ['load/w0', 'load/w1', 'load/w2', 'load/w3'];
/** ...while this one, resolved all along, does not change: its cached state is what a cache can keep serving. */
const RESOLVED = 'load/resolved';

beforeAll(async () => {
  pg = await startPrivatePostgres();
  const env = {
    DATABASE_URL: pg.url,
    REDIS_URL,
    DB_POOL_MAX: '10',
    DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
    DB_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    DB_CONNECT_TIMEOUT_MS: '2000',
    DB_STATEMENT_TIMEOUT_MS: '3000',
    RATE_LIMIT_MAX: '0',
    // Shorter than the long outage, so resolves during it are served from expired entries (as keys are: their TTL is 5 s).
    CACHE_TTL_MS: '3000',
    LOG_LEVEL: 'info',
    WEBHOOK_SECRET_KEY: 'restart-test-secret-key-0123456789',
  };
  // One after the other: the first migrates the fresh cluster.
  servers.push(await spawnServer(env, 60_000));
  servers.push(await spawnServer(env, 60_000));
  const t = await newTenant(servers[0]!.url, ADMIN_KEY);
  key = t.key;
  workspaceId = t.workspaceId;
  for (const name of WRITTEN) await createPromptWith(servers[0]!.url, key, name, 'Hello {{name}}');
  const resolved = await createPromptWith(servers[0]!.url, key, RESOLVED, 'Hi {{name}}');
  versionId = resolved.createPrompt.activeVersion.id;
  await ok(servers[0]!.url, key, 'mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "production", versionId: $v) { revision } }', {
    n: RESOLVED,
    v: resolved.createPrompt.activeVersion.id,
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill('SIGTERM')));
  await pg?.destroy();
});

const RESOLVE = 'query($n: String!) { resolvePrompt(name: $n, variables: { name: "x" }) { text versionNumber } }';
const CREATE_VERSION = 'mutation($i: CreateVersionInput!) { createVersion(input: $i) { id number } }';
const RECORD_CALLS = 'mutation($c: [CallInput!]!) { recordCalls(inputs: $c) { callId duplicate } }';

/** One request, timed; `code` null when it succeeded, else its GraphQL code or a description of what was wrong. */
async function send(kind: Kind, server: number, query: string, variables: Record<string, unknown>): Promise<Outcome> {
  const start = Date.now();
  const done = (code: string | null, detail?: string, data?: any): Outcome => ({ kind, server, start, end: Date.now(), code, detail, data });
  try {
    const res = await fetch(servers[server]!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let body: { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    try {
      body = JSON.parse(text);
    } catch {
      return done('NON_JSON', `${res.status} ${text.slice(0, 200)}`);
    }
    if (body.errors?.length) {
      const codes = [...new Set(body.errors.map((e) => e.extensions?.code ?? 'NO_CODE'))];
      return done(codes.length === 1 ? codes[0]! : codes.join('+'), body.errors[0]!.message);
    }
    return done(null, undefined, body.data);
  } catch (err) {
    return done((err as Error).name === 'TimeoutError' ? 'HUNG' : 'NETWORK', (err as Error).message);
  }
}

type Readiness = { server: number; at: number; status: number };

// Over both scenarios (they share the workspace): every call id sent, every createVersion attempt by the tag in its template.
const sentCalls = new Set<string>();
const attempts = new Map<string, Promise<Outcome>>();

/** Fixed-rate load on both instances until `stop()`; resolves the outcomes once every request has settled. */
function startLoad() {
  const inflight: Promise<Outcome>[] = [];
  const readiness: Readiness[] = [];
  let n = 0;
  const every = (ms: number, fn: () => void) => setInterval(fn, ms);
  const timers = [
    every(20, () => inflight.push(send('resolve', n++ % 2, RESOLVE, { n: RESOLVED }))),
    every(200, () => {
      const tag = randomUUID();
      const promptName = WRITTEN[n % WRITTEN.length]!;
      const p = send('createVersion', n++ % 2, CREATE_VERSION, { i: { promptName, template: `Hello {{name}} ${tag}` } });
      attempts.set(tag, p);
      inflight.push(p);
    }),
    every(100, () => {
      const calls = Array.from({ length: 5 }, () => ({ versionId, callId: randomUUID(), latencyMs: 12, success: true }));
      for (const c of calls) sentCalls.add(c.callId);
      const p = send('recordCalls', n++ % 2, RECORD_CALLS, { c: calls });
      inflight.push(p.then((o) => ({ ...o, data: o.code === null ? { ...o.data, sent: calls.map((c) => c.callId) } : o.data })));
    }),
    every(50, () => {
      for (const [i, s] of servers.entries()) {
        const at = Date.now();
        void fetch(s.url.replace('/graphql', '/readyz'), { signal: AbortSignal.timeout(30_000) })
          .then((r) => r.arrayBuffer().then(() => readiness.push({ server: i, at, status: r.status })))
          .catch(() => readiness.push({ server: i, at, status: 0 }));
      }
    }),
  ];
  return {
    readiness,
    async stop(): Promise<Outcome[]> {
      for (const t of timers) clearInterval(t);
      return Promise.all(inflight);
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the load around `fault` (which returns once Postgres accepts connections again) and checks everything. */
async function scenario(fault: () => Promise<void>, longOutage: boolean) {
  const load = startLoad();
  await sleep(2_000);
  const downAt = Date.now();
  await fault();
  const backAt = Date.now();
  await sleep(SETTLE_MS + 3_000);
  const outcomes = await load.stop();
  await sleep(300); // the last readiness polls

  // No process died, and nothing escaped as an unhandled rejection (the process guard would contain and log it).
  expect(
    servers.map((s) =>
      s
        .output()
        .split('\n')
        .filter((l) => /unhandled|uncaught/i.test(l))
        .slice(0, 3),
    ),
  ).toEqual(servers.map(() => []));
  expect(servers.map((s) => ({ exitCode: s.child.exitCode, signal: s.child.signalCode }))).toEqual(servers.map(() => ({ exitCode: null, signal: null })));

  const summary = (os: Outcome[]) => os.slice(0, 8).map((o) => ({ kind: o.kind, code: o.code, ms: o.end - o.start, at: o.start - downAt, detail: o.detail }));
  // No request past its bound, none hung.
  const slow = outcomes.filter((o) => o.end - o.start > BOUND_MS || o.code === 'HUNG');
  expect(summary(slow)).toEqual([]);
  // Every failure is UNAVAILABLE: no other code, no code-less error, no dropped connection.
  const wrong = outcomes.filter((o) => o.code !== null && o.code !== 'UNAVAILABLE');
  expect(summary(wrong)).toEqual([]);
  // Resolves are served from cache while the database is away.
  expect(summary(outcomes.filter((o) => o.kind === 'resolve' && o.code !== null))).toEqual([]);
  // Once the database is back (and a short settling window), nothing fails.
  expect(summary(outcomes.filter((o) => o.code !== null && o.start > backAt + SETTLE_MS))).toEqual([]);
  // The load really ran on both sides of the fault, and writes succeeded after it.
  const after = outcomes.filter((o) => o.start > backAt + SETTLE_MS);
  for (const kind of ['resolve', 'createVersion', 'recordCalls'] as const)
    expect(after.filter((o) => o.kind === kind && o.code === null).length).toBeGreaterThan(3);

  // Readiness: 503 while the database was away (on every instance when the outage is long enough to be sure to be seen;
  // a sub-second restart on at least one), 200 after, on both instances.
  const polls = (i: number) => load.readiness.filter((r) => r.server === i);
  const saw503 = [...servers.keys()].map((i) => polls(i).some((r) => r.at >= downAt && r.at <= backAt + SETTLE_MS && r.status === 503));
  expect(longOutage ? saw503.every(Boolean) : saw503.some(Boolean)).toBe(true);
  for (const i of servers.keys()) {
    expect(
      polls(i)
        .filter((r) => r.at > backAt + SETTLE_MS)
        .map((r) => r.status),
    ).toEqual(expect.arrayContaining([200]));
    expect(polls(i).filter((r) => r.at > backAt + SETTLE_MS && r.status !== 200)).toEqual([]);
    expect(polls(i).some((r) => r.status === 0)).toBe(false); // the endpoint always answered
  }

  // API counts equal rows: every acknowledged call stored exactly once, nothing stored that was not sent.
  const acked = outcomes.filter((o) => o.kind === 'recordCalls' && o.code === null).flatMap((o) => o.data.sent as string[]);
  const stored = await withSql(
    pg.url,
    (sql) => sql<{ call_id: string; n: number }[]>`
    SELECT call_id, count(*)::int AS n FROM metric_calls WHERE workspace_id = ${workspaceId} GROUP BY call_id`,
  );
  const storedIds = new Map(stored.map((r) => [r.call_id, r.n]));
  expect(acked.filter((id) => storedIds.get(id) !== 1)).toEqual([]);
  expect(stored.filter((r) => r.n !== 1 || !sentCalls.has(r.call_id))).toEqual([]);

  // Version numbers gap-free; every acknowledged version stored with its number; nothing stored that was not attempted.
  const versions = await withSql(
    pg.url,
    (sql) => sql<{ name: string; id: string; number: number; template: string }[]>`
    SELECT p.name, v.id, v.number, v.template FROM prompt_versions v JOIN prompts p ON p.id = v.prompt_id
    WHERE p.workspace_id = ${workspaceId} AND p.name IN ${sql(WRITTEN)} ORDER BY p.name, v.number`,
  );
  for (const name of WRITTEN) {
    const numbers = versions.filter((v) => v.name === name).map((v) => v.number);
    expect({ name, numbers }).toEqual({ name, numbers: numbers.map((_, i) => i + 1) });
  }
  const byTag = new Map(versions.filter((v) => v.number > 1).map((v) => [v.template.split(' ').pop()!, v]));
  const results = new Map(await Promise.all([...attempts].map(async ([tag, p]) => [tag, await p] as const)));
  for (const [tag, o] of results) {
    if (o.code === null) expect(byTag.get(tag)).toMatchObject({ id: o.data.createVersion.id, number: o.data.createVersion.number });
  }
  expect([...byTag.keys()].filter((tag) => !results.has(tag))).toEqual([]);
  // Told UNAVAILABLE yet committed: only possible when the deadline fell while the COMMIT was on the wire (reported, not asserted).
  const unknownOutcome = [...results].filter(([tag, o]) => o.code !== null && byTag.has(tag)).length;
  const failures = outcomes.filter((o) => o.code !== null);
  return { requests: outcomes.length, failures: failures.length, unknownOutcome, maxMs: Math.max(...outcomes.map((o) => o.end - o.start)) };
}

test('pg_ctl restart -m fast under load: no exit, bounded, UNAVAILABLE only, back within seconds, nothing lost', async () => {
  const r = await scenario(() => pg.restartFast(), false);
  expect(r.requests).toBeGreaterThan(150);
}, 120_000);

test('pg_ctl stop -m immediate, an outage longer than the bound, then start: the same', async () => {
  const r = await scenario(async () => {
    await pg.stopImmediate();
    await sleep(OUTAGE_MS);
    await pg.start();
  }, true);
  // The outage was long enough to fail the writes sent during it (fast, through the breaker), while resolves went on.
  expect(r.failures).toBeGreaterThan(10);
}, 120_000);
