/**
 * The outbox across real server processes on one Postgres: an event committed by a process that is
 * SIGKILLed before sending it is delivered after a restart; an attempt in flight when the process
 * dies is retried once its lease runs out (at least once, same webhook-id); and two instances
 * sharing the work deliver a 1,000-event run to every endpoint exactly once (FOR UPDATE SKIP LOCKED);
 * and two instances evaluating alerts on the same schedule fire and resolve an alert once.
 */
import { ok } from '../helpers/graphql';
import { createTestDatabase, withSql, type TestDatabase } from '../helpers/postgres';
import { addVersion, createPromptWith, newTenant } from '../helpers/seed';
import { ADMIN_KEY, REDIS_URL, spawnServer, type ServerProcess } from '../helpers/server';
import { verifyWebhook } from '../../src/client';
import { typeOf } from './receiver';
import { createWebhook, useReceivers, waitForDeliveries } from './helpers';

jest.setTimeout(180_000);

let db: TestDatabase;
const servers: ServerProcess[] = [];
const receiver = useReceivers();
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill('SIGKILL')));
  await db?.drop();
});

const ENV = {
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_RETRY_SCHEDULE_MS: '200,400,800',
  WEBHOOK_TIMEOUT_MS: '1500',
  WEBHOOK_POLL_MS: '100',
  WEBHOOK_SECRET_KEY: 'durability-test-server-key-000001',
  RATE_LIMIT_MAX: '0',
};

async function start(env: Record<string, string> = {}): Promise<ServerProcess> {
  const s = await spawnServer({ DATABASE_URL: db.url, ...ENV, ...env });
  servers.push(s);
  return s;
}

const SET = 'mutation($n: String!, $l: String!, $v: ID!) { setLabel(promptName: $n, label: $l, versionId: $v) { revision } }';

test('SIGKILL after the commit, before any send: the event is delivered by the restarted server, once', async () => {
  // The first process commits but its dispatcher is off: the kill always falls between commit and delivery.
  const first = await start({ WEBHOOK_DISPATCHER: 'false' });
  const t = await newTenant(first.url, ADMIN_KEY);
  const rx = await receiver();
  const { id, secret } = await createWebhook(first.url, t.key, { url: rx.url, events: ['label.moved'] });
  await createPromptWith(first.url, t.key, 'kill/one', 'A');
  const v2 = (await addVersion(first.url, t.key, 'kill/one', 'B')).id;
  await ok(first.url, t.key, SET, { n: 'kill/one', l: 'production', v: v2 });
  await new Promise((r) => setTimeout(r, 300));
  expect(rx.received).toHaveLength(0);
  await first.kill('SIGKILL');

  const second = await start();
  const [got] = await rx.waitFor(1);
  expect(() => verifyWebhook(secret, got!.headers as Record<string, string>, got!.body)).not.toThrow();
  expect(JSON.parse(got!.body).data).toMatchObject({ promptName: 'kill/one', label: 'production', to: { versionId: v2 } });
  await waitForDeliveries(second.url, t.key, id, (ds) => ds.length === 1 && ds[0].status === 'SUCCEEDED');
  await new Promise((r) => setTimeout(r, 500));
  expect(rx.received).toHaveLength(1);
  await second.kill('SIGTERM');
});

test('SIGKILL during the attempt: retried after the lease by the restarted server, same webhook-id (at least once)', async () => {
  const first = await start();
  const t = await newTenant(first.url, ADMIN_KEY);
  const rx = await receiver(() => 'hang'); // the first attempt never gets an answer
  const { id } = await createWebhook(first.url, t.key, { url: rx.url, events: ['label.moved'] });
  await createPromptWith(first.url, t.key, 'kill/two', 'A');
  const v2 = (await addVersion(first.url, t.key, 'kill/two', 'B')).id;
  await ok(first.url, t.key, SET, { n: 'kill/two', l: 'production', v: v2 });
  const [inFlight] = await rx.waitFor(1);
  await first.kill('SIGKILL');
  rx.setHandler(() => ({ status: 200 }));

  const second = await start();
  const both = await rx.waitFor(2, undefined, 30_000);
  expect(both[1]!.headers['webhook-id']).toBe(inFlight!.headers['webhook-id']);
  expect(both[1]!.body).toBe(inFlight!.body);
  const [d] = await waitForDeliveries(second.url, t.key, id, (ds) => ds[0]?.status === 'SUCCEEDED');
  expect(d.attempts).toBe(1); // the killed attempt was never recorded
  await second.kill('SIGTERM');
});

test('two instances deliver a 1,000-event run to every endpoint exactly once', async () => {
  const one = await start({ REDIS_URL });
  const two = await start({ REDIS_URL });
  const t = await newTenant(one.url, ADMIN_KEY);
  const rxs = await Promise.all([receiver(), receiver(), receiver()]);
  for (const rx of rxs) await createWebhook(one.url, t.key, { url: rx.url, events: ['*'] });

  // 40 prompts × (prompt.created + version.created + version.created) = 120 events, then 880 label moves.
  const started = Date.now();
  const prompts = Array.from({ length: 40 }, (_, i) => `run/p${i}`);
  const versions = await Promise.all(
    prompts.map(async (name, i) => {
      const p = await createPromptWith([one, two][i % 2]!.url, t.key, name, 'A');
      const v2 = await addVersion([two, one][i % 2]!.url, t.key, name, 'B');
      return [p.createPrompt.activeVersion.id as string, v2.id];
    }),
  );
  await Promise.all(
    prompts.map(async (name, i) => {
      for (let k = 0; k < 22; k++) await ok([one, two][(i + k) % 2]!.url, t.key, SET, { n: name, l: 'staging', v: versions[i]![k % 2] });
    }),
  );
  const [{ n }] = (await withSql(db.url, (sql) => sql`SELECT count(*)::int AS n FROM webhook_events WHERE workspace_id = ${t.workspaceId}`)) as unknown as [
    { n: number },
  ];
  expect(n).toBe(1000);
  const committed = Date.now();

  for (const rx of rxs) {
    const got = await rx.waitFor(1000, undefined, 90_000);
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1000);
  }
  console.log(`1,000 events: committed in ${committed - started} ms, all delivered ${Date.now() - committed} ms later`);
  await new Promise((r) => setTimeout(r, 1000));
  for (const rx of rxs) expect(rx.received).toHaveLength(1000); // no duplicates arrived late
  const [{ delivered }] = (await withSql(
    db.url,
    (sql) => sql`SELECT count(*)::int AS delivered FROM webhook_deliveries WHERE workspace_id = ${t.workspaceId} AND status = 'SUCCEEDED' AND attempts = 1`,
  )) as unknown as [{ delivered: number }];
  expect(delivered).toBe(3000);
});

test('two instances evaluating alerts every 100 ms: one alert.fired, one alert.resolved, one history row each', async () => {
  const fast = { REDIS_URL, ALERT_INTERVAL_MS: '100', ALERT_MIN_INTERVAL_MS: '0' };
  const [one, two] = await Promise.all([start(fast), start(fast)]);
  const t = await newTenant(one.url, ADMIN_KEY);
  const rx = await receiver();
  await createWebhook(one.url, t.key, { url: rx.url, events: ['alert.*'] });
  const p = await createPromptWith(two.url, t.key, 'alerted', 'A');
  const { createAlert } = await ok(one.url, t.key, 'mutation { createAlert(input: { promptName: "alerted", metric: CALLS, threshold: 2 }) { id } }');
  const call = () => ({ versionId: p.createPrompt.activeVersion.id, latencyMs: 10, success: true });
  await ok(two.url, t.key, 'mutation($c: [CallInput!]!) { recordCalls(inputs: $c) { callId } }', { c: [call(), call(), call()] });
  await rx.waitFor(1, (r) => typeOf(r) === 'alert.fired');
  await new Promise((r) => setTimeout(r, 600)); // both instances evaluate several times meanwhile
  await withSql(db.url, (sql) => sql`UPDATE metric_rollups SET hour = hour - interval '2 days' WHERE workspace_id = ${t.workspaceId}`);
  await rx.waitFor(1, (r) => typeOf(r) === 'alert.resolved');
  await new Promise((r) => setTimeout(r, 600));
  expect(rx.received.map(typeOf)).toEqual(['alert.fired', 'alert.resolved']);
  const history = await withSql(db.url, (sql) => sql`SELECT state FROM alert_history WHERE alert_id = ${createAlert.id} ORDER BY seq`);
  expect(history.map((h) => h.state)).toEqual(['FIRING', 'OK']);
  await Promise.all([one.kill('SIGTERM'), two.kill('SIGTERM')]);
});
