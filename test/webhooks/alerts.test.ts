/**
 * Alerts from the rollups: calls recorded through the API build the hourly rollups; an error-rate
 * alert crossing its threshold fires ONCE (one alert.fired webhook, one alertUpdated event), and once
 * back under it resolves ONCE. The raw calls are deleted before evaluation: the value comes from the
 * rollups alone.
 */
import { fails, ok } from '../helpers/graphql';
import { usePostgresServer, withSql, type TestDatabase } from '../helpers/postgres';
import { newTenant } from '../helpers/seed';
import type { TestServer } from '../helpers/server';
import { collect, wsClient } from '../helpers/ws';
import { verifyWebhook } from '../../src/client';
import { RECORD_MANY, seedVersion, uid } from '../metrics/helpers';
import { startReceiver, typeOf, type Receiver } from './receiver';
import { createWebhook } from './helpers';

let server: TestServer;
let db: TestDatabase;
usePostgresServer(
  (s, d) => {
    server = s;
    db = d;
  },
  {
    env: {
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_POLL_MS: '50',
      ALERT_INTERVAL_MS: '150',
      ALERT_MIN_INTERVAL_MS: '0',
      WEBHOOK_SECRET_KEY: 'alerts-test-server-key-00000000001',
    },
  },
);
let rx: Receiver;
beforeAll(async () => {
  rx = await startReceiver();
});
afterAll(async () => {
  await rx.close();
});

const ALERTS = 'query { alerts { id state lastValue metric threshold promptName history { state value at } } }';

test('an error-rate alert fires once and resolves once, as webhooks and alertUpdated events', async () => {
  const t = await newTenant(server.url, server.adminKey);
  const { versionId, name } = await seedVersion(server.url, t.key);
  // The endpoint wants alerts about this prompt: the workspace-wide alert (about no prompt) is not sent to it.
  const { secret } = await createWebhook(server.url, t.key, { url: rx.url, events: ['alert.*'], promptFilter: name });
  const alert = await ok(
    server.url,
    t.key,
    'mutation($p: String!) { createAlert(input: { name: "errors", promptName: $p, metric: ERROR_RATE, threshold: 0.5, windowMinutes: 60 }) { id state windowMinutes } }',
    { p: name },
  );
  const wsAlert = await ok(server.url, t.key, 'mutation { createAlert(input: { name: "workspace errors", metric: ERROR_RATE, threshold: 0.5 }) { id } }');
  const ws = wsClient(server.url, t.key);
  const sub = collect(ws, 'subscription { alertUpdated { id state lastValue } }');
  await new Promise((r) => setTimeout(r, 300));

  await ok(server.url, t.key, RECORD_MANY, { i: Array.from({ length: 10 }, () => ({ versionId, callId: uid(), latencyMs: 100, success: false })) });
  // From the rollups only: the raw calls are gone before any evaluation can see them.
  await withSql(db.url, (sql) => sql`DELETE FROM metric_calls WHERE workspace_id = ${t.workspaceId}`);
  const fired = await rx.waitFor(1, (r) => typeOf(r) === 'alert.fired');
  const body = verifyWebhook(secret, fired[0]!.headers as Record<string, string>, fired[0]!.body).data as any;
  expect(body).toMatchObject({ alertId: alert.createAlert.id, promptName: name, metric: 'ERROR_RATE', threshold: 0.5, value: 1, state: 'FIRING' });
  await sub.waitFor(2);

  await new Promise((r) => setTimeout(r, 600)); // several evaluations while still firing: no repeats
  expect(rx.received.filter((r) => typeOf(r) === 'alert.fired')).toHaveLength(1);

  await ok(server.url, t.key, RECORD_MANY, { i: Array.from({ length: 30 }, () => ({ versionId, callId: uid(), latencyMs: 100, success: true })) });
  await rx.waitFor(1, (r) => typeOf(r) === 'alert.resolved');
  await sub.waitFor(4);
  await new Promise((r) => setTimeout(r, 600));
  expect(rx.received.map(typeOf).sort()).toEqual(['alert.fired', 'alert.resolved']);
  for (const a of [alert.createAlert.id, wsAlert.createAlert.id])
    expect(sub.events.filter((e) => e.alertUpdated.id === a).map((e) => e.alertUpdated.state)).toEqual(['FIRING', 'OK']);
  const listed = (await ok(server.url, t.key, ALERTS)).alerts.find((a: any) => a.id === alert.createAlert.id);
  expect(listed.state).toBe('OK');
  expect(listed.lastValue).toBeCloseTo(0.25);
  expect(listed.history.map((h: any) => h.state)).toEqual(['OK', 'FIRING']);
  sub.dispose();
  await ws.dispose();
});

test('alerts: validation, roles, delete', async () => {
  const t = await newTenant(server.url, server.adminKey);
  const viewer = (await ok(server.url, t.key, 'mutation { createApiKey(input: { name: "v", role: VIEWER }) { key } }')).createApiKey.key;
  const q = 'mutation($i: AlertInput!) { createAlert(input: $i) { id } }';
  expect((await fails(server.url, t.key, q, { i: { metric: 'CALLS', threshold: 1, windowMinutes: 0 } }, 'BAD_USER_INPUT')).extensions!.field).toBe(
    'input.windowMinutes',
  );
  expect((await fails(server.url, t.key, q, { i: { metric: 'CALLS', threshold: 1, promptName: 'a', folder: 'b/' } }, 'BAD_USER_INPUT')).extensions!.field).toBe(
    'input.folder',
  );
  await fails(server.url, viewer, q, { i: { metric: 'CALLS', threshold: 1 } }, 'FORBIDDEN');
  const { createAlert } = await ok(server.url, t.key, q, { i: { metric: 'DAILY_COST', threshold: 10, folder: 'support' } });
  const list = (await ok(server.url, viewer, 'query { alerts { id folder windowMinutes state } }')).alerts;
  expect(list).toEqual([{ id: createAlert.id, folder: 'support/', windowMinutes: 1440, state: 'OK' }]);
  await ok(server.url, t.key, 'mutation($id: ID!) { deleteAlert(id: $id) { id } }', { id: createAlert.id });
  expect((await ok(server.url, viewer, 'query { alerts { id } }')).alerts).toEqual([]);
});
