/**
 * Alerts from the rollups: calls recorded through the API build the hourly rollups. For every metric
 * (daily cost, hourly calls, error rate, p95 latency, quality) an alert crossing its threshold fires
 * ONCE (one alert.fired webhook; for error rate also one alertUpdated event), and once back under it
 * resolves ONCE. The raw calls are deleted before the alert exists: the value comes from the rollups
 * alone.
 */
import { fails, ok } from '../helpers/graphql';
import { withSql } from '../helpers/postgres';
import { newTenant } from '../helpers/seed';
import { collect, wsClient } from '../helpers/ws';
import { verifyWebhook } from '../../src/client';
import { RECORD_MANY, seedVersion, uid } from '../metrics/helpers';
import { messageOf, typeOf, type Receiver } from './receiver';
import { createWebhook, useReceivers, useWebhookServer } from './helpers';

const ctx = useWebhookServer({ ALERT_INTERVAL_MS: '150', ALERT_MIN_INTERVAL_MS: '0' });
const receiver = useReceivers();
let rx: Receiver;
beforeAll(async () => {
  rx = await receiver();
});

const ALERTS = 'query { alerts { id state lastValue metric threshold promptName history { state value at } } }';

test('an error-rate alert fires once and resolves once, as webhooks and alertUpdated events', async () => {
  const t = await newTenant(ctx.server.url, ctx.server.adminKey);
  const { versionId, name } = await seedVersion(ctx.server.url, t.key);
  // The endpoint wants alerts about this prompt: the workspace-wide alert (about no prompt) is not sent to it.
  const { secret } = await createWebhook(ctx.server.url, t.key, { url: rx.url, events: ['alert.*'], promptFilter: name });
  const alert = await ok(
    ctx.server.url,
    t.key,
    'mutation($p: String!) { createAlert(input: { name: "errors", promptName: $p, metric: ERROR_RATE, threshold: 0.5, windowMinutes: 60 }) { id state windowMinutes } }',
    { p: name },
  );
  const wsAlert = await ok(ctx.server.url, t.key, 'mutation { createAlert(input: { name: "workspace errors", metric: ERROR_RATE, threshold: 0.5 }) { id } }');
  const ws = wsClient(ctx.server.url, t.key);
  const sub = collect(ws, 'subscription { alertUpdated { id state lastValue } }');
  await new Promise((r) => setTimeout(r, 300));

  await ok(ctx.server.url, t.key, RECORD_MANY, { i: Array.from({ length: 10 }, () => ({ versionId, callId: uid(), latencyMs: 100, success: false })) });
  // From the rollups only: the raw calls are gone before any evaluation can see them.
  await withSql(ctx.db.url, (sql) => sql`DELETE FROM metric_calls WHERE workspace_id = ${t.workspaceId}`);
  const fired = await rx.waitFor(1, (r) => typeOf(r) === 'alert.fired');
  const body = verifyWebhook(secret, fired[0]!.headers as Record<string, string>, fired[0]!.body).data as any;
  expect(body).toMatchObject({ alertId: alert.createAlert.id, promptName: name, metric: 'ERROR_RATE', threshold: 0.5, value: 1, state: 'FIRING' });
  await sub.waitFor(2);

  await new Promise((r) => setTimeout(r, 600)); // several evaluations while still firing: no repeats
  expect(rx.received.filter((r) => typeOf(r) === 'alert.fired')).toHaveLength(1);

  await ok(ctx.server.url, t.key, RECORD_MANY, { i: Array.from({ length: 30 }, () => ({ versionId, callId: uid(), latencyMs: 100, success: true })) });
  await rx.waitFor(1, (r) => typeOf(r) === 'alert.resolved');
  await sub.waitFor(4);
  await new Promise((r) => setTimeout(r, 600));
  expect(rx.received.map(typeOf).sort()).toEqual(['alert.fired', 'alert.resolved']);
  for (const a of [alert.createAlert.id, wsAlert.createAlert.id])
    expect(sub.events.filter((e) => e.alertUpdated.id === a).map((e) => e.alertUpdated.state)).toEqual(['FIRING', 'OK']);
  const listed = (await ok(ctx.server.url, t.key, ALERTS)).alerts.find((a: any) => a.id === alert.createAlert.id);
  expect(listed.state).toBe('OK');
  expect(listed.lastValue).toBeCloseTo(0.25);
  expect(listed.history.map((h: any) => h.state)).toEqual(['OK', 'FIRING']);
  sub.dispose();
  await ws.dispose();
});

test('alerts: validation, roles, delete', async () => {
  const t = await newTenant(ctx.server.url, ctx.server.adminKey);
  const viewer = (await ok(ctx.server.url, t.key, 'mutation { createApiKey(input: { name: "v", role: VIEWER }) { key } }')).createApiKey.key;
  const q = 'mutation($i: AlertInput!) { createAlert(input: $i) { id } }';
  expect((await fails(ctx.server.url, t.key, q, { i: { metric: 'CALLS', threshold: 1, windowMinutes: 0 } }, 'BAD_USER_INPUT')).extensions!.field).toBe(
    'input.windowMinutes',
  );
  expect(
    (await fails(ctx.server.url, t.key, q, { i: { metric: 'CALLS', threshold: 1, promptName: 'a', folder: 'b/' } }, 'BAD_USER_INPUT')).extensions!.field,
  ).toBe('input.folder');
  await fails(ctx.server.url, viewer, q, { i: { metric: 'CALLS', threshold: 1 } }, 'FORBIDDEN');
  const { createAlert } = await ok(ctx.server.url, t.key, q, { i: { metric: 'DAILY_COST', threshold: 10, folder: 'support' } });
  const list = (await ok(ctx.server.url, viewer, 'query { alerts { id folder windowMinutes state } }')).alerts;
  expect(list).toEqual([{ id: createAlert.id, folder: 'support/', windowMinutes: 1440, state: 'OK' }]);
  await ok(ctx.server.url, t.key, 'mutation($id: ID!) { deleteAlert(id: $id) { id } }', { id: createAlert.id });
  expect((await ok(ctx.server.url, viewer, 'query { alerts { id } }')).alerts).toEqual([]);
});

type Call = { latencyMs?: number; success?: boolean; costUsd?: number; qualityScore?: number };
const calls = (n: number, c: Call) => ({ n, c });
/** "Time passes": the rollup hours move out of the alert's window (a day and more back), which is what the window sees as time goes by. */
const AGE_OUT = 'age out';
const METRIC_CASES: [
  metric: string,
  threshold: number,
  cross: { n: number; c: Call },
  back: { n: number; c: Call } | typeof AGE_OUT,
  fired: (v: number) => boolean,
  resolved: (v: number | null) => boolean,
][] = [
  ['DAILY_COST', 10, calls(3, { costUsd: 4 }), AGE_OUT, (v) => v === 12, (v) => v === null || v === 0],
  ['CALLS', 5, calls(6, {}), AGE_OUT, (v) => v === 6, (v) => v === null || v === 0],
  ['ERROR_RATE', 0.5, calls(10, { success: false }), calls(30, {}), (v) => v === 1, (v) => Math.abs(v! - 0.25) < 1e-9],
  ['P95_LATENCY', 3000, calls(10, { latencyMs: 5000 }), calls(300, { latencyMs: 100 }), (v) => Math.abs(v - 5000) <= 50, (v) => Math.abs(v! - 100) <= 1],
  ['QUALITY_SCORE', 0.7, calls(10, { qualityScore: 0.2 }), calls(90, { qualityScore: 1 }), (v) => Math.abs(v - 0.2) < 1e-9, (v) => Math.abs(v! - 0.92) < 1e-9],
];

test.each(METRIC_CASES)(
  '%s: seeded rollups cross %d → one alert.fired; back under → one alert.resolved',
  async (metric, threshold, cross, back, fired, resolved) => {
    const t = await newTenant(ctx.server.url, ctx.server.adminKey);
    const { versionId, name } = await seedVersion(ctx.server.url, t.key);
    const { secret } = await createWebhook(ctx.server.url, t.key, { url: rx.url, events: ['alert.*'], promptFilter: name });
    const record = ({ n, c }: { n: number; c: Call }) =>
      ok(ctx.server.url, t.key, RECORD_MANY, { i: Array.from({ length: n }, () => ({ versionId, callId: uid(), latencyMs: 100, success: true, ...c })) });
    await record(cross);
    // The raw calls are gone before the alert exists: whatever it reads, it reads from the rollups.
    await withSql(ctx.db.url, (sql) => sql`DELETE FROM metric_calls WHERE workspace_id = ${t.workspaceId}`);
    const { createAlert } = await ok(
      ctx.server.url,
      t.key,
      'mutation($p: String!, $m: AlertMetric!, $t: Float!) { createAlert(input: { promptName: $p, metric: $m, threshold: $t }) { id } }',
      {
        p: name,
        m: metric,
        t: threshold,
      },
    );
    const mine = (type: string) => (r: Parameters<typeof typeOf>[0]) => typeOf(r) === type && messageOf(r).data.alertId === createAlert.id;
    const [f] = await rx.waitFor(1, mine('alert.fired'));
    const data = verifyWebhook<any>(secret, f!.headers as Record<string, string>, f!.body).data;
    expect(data).toMatchObject({ workspaceId: t.workspaceId, alertId: createAlert.id, promptName: name, metric, threshold, state: 'FIRING' });
    expect(fired(data.value)).toBe(true);

    if (back === AGE_OUT)
      await withSql(ctx.db.url, (sql) => sql`UPDATE metric_rollups SET hour = hour - interval '3 days' WHERE workspace_id = ${t.workspaceId}`);
    else await record(back);
    const [r] = await rx.waitFor(1, mine('alert.resolved'));
    expect(messageOf(r!).data).toMatchObject({ alertId: createAlert.id, metric, state: 'OK' });
    expect(resolved(messageOf(r!).data.value)).toBe(true);
    await new Promise((res) => setTimeout(res, 500)); // several more evaluations: nothing repeats
    expect(rx.received.filter(mine('alert.fired'))).toHaveLength(1);
    expect(rx.received.filter(mine('alert.resolved'))).toHaveLength(1);
    const { alerts } = await ok(ctx.server.url, t.key, 'query { alerts { id state history { state } } }');
    expect(alerts).toEqual([{ id: createAlert.id, state: 'OK', history: [{ state: 'OK' }, { state: 'FIRING' }] }]);
  },
);

test('a folder alert reads the prompts under the folder only', async () => {
  const t = await newTenant(ctx.server.url, ctx.server.adminKey);
  const inside = (await ok(ctx.server.url, t.key, 'mutation { createPrompt(input: { name: "team/a", version: { template: "A" } }) { activeVersion { id } } }'))
    .createPrompt.activeVersion.id;
  const outside = (
    await ok(ctx.server.url, t.key, 'mutation { createPrompt(input: { name: "teamwork", version: { template: "A" } }) { activeVersion { id } } }')
  ).createPrompt.activeVersion.id;
  const { createAlert } = await ok(ctx.server.url, t.key, 'mutation { createAlert(input: { folder: "team", metric: CALLS, threshold: 3 }) { id folder } }');
  expect(createAlert.folder).toBe('team/');
  const mine = (type: string) => (r: Parameters<typeof typeOf>[0]) => typeOf(r) === type && messageOf(r).data.alertId === createAlert.id;
  await createWebhook(ctx.server.url, t.key, { url: rx.url, events: ['alert.fired'] });
  const record = (versionId: string, n: number) =>
    ok(ctx.server.url, t.key, RECORD_MANY, { i: Array.from({ length: n }, () => ({ versionId, callId: uid(), latencyMs: 10, success: true })) });
  await record(outside, 10); // "teamwork" is not under "team/"
  await record(inside, 3);
  await new Promise((r) => setTimeout(r, 500));
  expect(rx.received.filter(mine('alert.fired'))).toHaveLength(0);
  await record(inside, 1);
  const [fired] = await rx.waitFor(1, mine('alert.fired'));
  expect(messageOf(fired!).data).toMatchObject({ folder: 'team/', promptName: null, value: 4 });
});
