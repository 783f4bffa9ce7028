/**
 * Webhooks end to end on real Postgres with real receivers on loopback (private targets allowed, a
 * shrunk retry schedule): every event type of the catalogue, signatures per the spec, filters,
 * retries on 500 / 429 + Retry-After / timeout / connection refused, 410 disabling, rotation,
 * redelivery, the delivery log and its pruning, and a change that rolls back sending nothing.
 */
import net from 'node:net';
import { assignVariant, type Allocation } from '../../src/experiments/pure';
import { EVENT_TYPES } from '../../src/webhooks/event-types';
import { verifyWebhook } from '../../src/client';
import { fails, ok } from '../helpers/graphql';
import { withSql } from '../helpers/postgres';
import { addVersion, createPromptWith, newTenant, type Tenant } from '../helpers/seed';
import { RECORD_MANY, uid } from '../metrics/helpers';
import { messageOf as bodyOf, typeOf } from './receiver';
import { createWebhook, deliveries, useReceivers, useWebhookServer, waitForDeliveries } from './helpers';

const SCHEDULE = [150, 300, 450];
const ctx = useWebhookServer({
  WEBHOOK_RETRY_SCHEDULE_MS: SCHEDULE.join(','),
  WEBHOOK_TIMEOUT_MS: '400',
  // The delivery log is pruned every 200 ms here (hourly by default): the pruning test needs no wait.
  WEBHOOK_PRUNE_INTERVAL_MS: '200',
  ALERT_INTERVAL_MS: '100',
  ALERT_MIN_INTERVAL_MS: '0',
});
const receiver = useReceivers();

async function tenant(): Promise<Tenant> {
  return newTenant(ctx.server.url, ctx.server.adminKey);
}

/** Runs an A/B test on `name` (versions a, b) to its automatic conclusion: B wins on quality. */
async function concludeABTest(key: string, name: string, a: string, b: string): Promise<string> {
  const test = (
    await ok(
      ctx.server.url,
      key,
      'mutation($n: String!, $a: ID!, $b: ID!) { startABTest(input: { promptName: $n, versionA: $a, versionB: $b, minSampleSize: 30 }) { id salt allocation } }',
      { n: name, a, b },
    )
  ).startABTest as { id: string; salt: string; allocation: Allocation };
  const idsFor = (variant: string, n: number) => {
    const out: string[] = [];
    for (let i = 0; out.length < n; i++) if (assignVariant(test.allocation, test.salt, `r-${variant}-${i}`) === variant) out.push(`r-${variant}-${i}`);
    return out;
  };
  const calls = [
    ...idsFor('A', 40).map((r, i) => ({ versionId: a, requestId: r, latencyMs: 100, success: true, qualityScore: 0.3 + (i % 5) * 0.05 })),
    ...idsFor('B', 40).map((r, i) => ({ versionId: b, requestId: r, latencyMs: 100, success: true, qualityScore: 0.7 + (i % 5) * 0.05 })),
  ];
  await ok(ctx.server.url, key, 'mutation($c: [CallInput!]!) { recordCalls(inputs: $c) { callId } }', { c: calls });
  return test.id;
}

test('every event type of the catalogue reaches a subscribed endpoint, signed per the spec, with the data a receiver needs', async () => {
  const t = await tenant();
  const rx = await receiver();
  const { id, secret } = await createWebhook(ctx.server.url, t.key, { url: rx.url, events: ['*'], description: 'everything' });
  const name = 'support/classifier';
  const p = await createPromptWith(ctx.server.url, t.key, name, 'Hello {{name}}');
  const promptId = p.createPrompt.id as string;
  const v1 = p.createPrompt.activeVersion.id;
  const v2 = (await addVersion(ctx.server.url, t.key, name, 'Hi {{name}}')).id;
  await ok(ctx.server.url, t.key, 'mutation($n: String!) { updatePrompt(name: $n, input: { description: "d" }) { id } }', { n: name });
  await ok(
    ctx.server.url,
    t.key,
    'mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "production", versionId: $v, reason: "ship v2") { revision } }',
    {
      n: name,
      v: v2,
    },
  );
  await ok(ctx.server.url, t.key, 'mutation($n: String!) { rollback(promptName: $n, reason: "v2 regressed") { revision } }', { n: name });
  const ab = await ok(
    ctx.server.url,
    t.key,
    'mutation($n: String!, $a: ID!, $b: ID!) { startABTest(input: { promptName: $n, versionA: $a, versionB: $b }) { id } }',
    { n: name, a: v1, b: v2 },
  );
  await ok(
    ctx.server.url,
    t.key,
    'mutation($id: ID!, $a: ID!, $b: ID!) { updateABTest(id: $id, variants: [{ versionId: $a, weight: 30 }, { versionId: $b, weight: 70 }]) { id } }',
    { id: ab.startABTest.id, a: v1, b: v2 },
  );
  await ok(ctx.server.url, t.key, 'mutation($id: ID!, $b: ID!) { stopABTest(id: $id, promoteVersionId: $b) { id } }', { id: ab.startABTest.id, b: v2 });
  // A test concluded by the decision rule (automatic promotion), on a second prompt.
  const other = 'support/summarizer';
  const o1 = (await createPromptWith(ctx.server.url, t.key, other, 'A')).createPrompt.activeVersion.id;
  const o2 = (await addVersion(ctx.server.url, t.key, other, 'B')).id;
  const concludedId = await concludeABTest(t.key, other, o1, o2);
  await rx.waitFor(1, (r) => typeOf(r) === 'ab_test.concluded');
  // An alert on the prompt: one call crosses "more than 0 calls an hour" (fired); the rollup hour
  // then leaves the window (time passing, done to the rows) and the alert resolves.
  const alert = await ok(ctx.server.url, t.key, 'mutation($n: String!) { createAlert(input: { promptName: $n, metric: CALLS, threshold: 2 }) { id } }', {
    n: name,
  });
  await ok(ctx.server.url, t.key, RECORD_MANY, { i: Array.from({ length: 3 }, () => ({ versionId: v1, callId: uid(), latencyMs: 10, success: true })) });
  await rx.waitFor(1, (r) => typeOf(r) === 'alert.fired');
  await withSql(ctx.db.url, (sql) => sql`UPDATE metric_rollups SET hour = hour - interval '2 days' WHERE workspace_id = ${t.workspaceId}`);
  await rx.waitFor(1, (r) => typeOf(r) === 'alert.resolved');
  await ok(ctx.server.url, t.key, 'mutation($n: String!) { archivePrompt(name: $n) { id } }', { n: name });
  await ok(ctx.server.url, t.key, 'mutation($n: String!) { deletePrompt(name: $n, confirmName: $n) }', { n: name });
  await ok(ctx.server.url, t.key, 'mutation($id: ID!) { testWebhook(id: $id) { id status } }', { id });

  // The classifier's events in the order they happened, then the rest.
  const classifierEvents = [
    'prompt.created',
    'version.created',
    'version.created',
    'prompt.updated',
    'label.moved',
    'prompt.rolled_back',
    'ab_test.started',
    'ab_test.ramped',
    'ab_test.stopped',
    'prompt.archived',
    'prompt.deleted',
  ];
  const summarizerEvents = ['prompt.created', 'version.created', 'version.created', 'ab_test.started', 'ab_test.concluded'];
  const expected = [...classifierEvents, ...summarizerEvents, 'alert.fired', 'alert.resolved', 'webhook.test'];
  const got = await rx.waitFor(expected.length, () => true, 30_000);
  await new Promise((r) => setTimeout(r, 300));
  expect(rx.received.map(typeOf).sort()).toEqual([...expected].sort());
  // Every type of the catalogue is emitted and reached the endpoint (a type added to it without an emitter fails here).
  expect([...new Set(got.map(typeOf))].sort()).toEqual(Object.keys(EVENT_TYPES).sort());
  for (const r of got) {
    // The spec's algorithm, through the exported client function; the body is { type, timestamp, data }.
    const v = verifyWebhook(secret, r.headers as Record<string, string>, r.body);
    expect(v.id).toBe(r.headers['webhook-id']);
    expect(r.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(Number(r.headers['webhook-timestamp'])).toBeGreaterThan(Date.now() / 1000 - 120);
    expect(Object.keys(bodyOf(r)).sort()).toEqual(['data', 'timestamp', 'type']);
    expect(bodyOf(r).data.workspaceId).toBe(t.workspaceId);
  }
  expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(expected.length); // distinct ids per event

  const all = (type: string) => got.filter((r) => typeOf(r) === type).map((r) => bodyOf(r).data);
  const one = (type: string) => all(type)[0];
  const ref = (versionId: string, versionNumber: number) => ({ versionId, versionNumber });
  // Every prompt event names the prompt, its revision and who did it; revisions order a prompt's events as they happened.
  const promptTypes = [...classifierEvents, ...summarizerEvents];
  const ofPrompt = (n: string) =>
    got
      .filter((r) => promptTypes.includes(typeOf(r)) && bodyOf(r).data.promptName === n)
      .map((r) => ({ ...bodyOf(r).data, type: typeOf(r) }))
      .sort((a, b) => a.revision - b.revision);
  for (const d of ofPrompt(name))
    expect(d).toMatchObject({ promptId, revision: expect.any(Number), actor: { name: expect.any(String) }, at: expect.any(String) });
  for (const d of ofPrompt(other)) expect(d).toMatchObject({ revision: expect.any(Number), actor: { name: expect.any(String) } });
  // Sorted by revision, a receiver sees the changes in the order they were made; each raised the revision.
  expect(ofPrompt(name).map((d) => [d.type, d.revision])).toEqual(classifierEvents.map((type, n) => [type, n + 1]));
  expect(ofPrompt(other).map((d) => d.type)).toEqual(summarizerEvents);

  expect(all('version.created').filter((d) => d.promptName === name)).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ versionId: v1, versionNumber: 1, labels: [{ label: 'production', from: null, to: ref(v1, 1) }] }),
      expect.objectContaining({ versionId: v2, versionNumber: 2, labels: [] }),
    ]),
  );
  const moved = one('label.moved');
  expect(moved).toMatchObject({ label: 'production', versionId: v2, versionNumber: 2, from: ref(v1, 1), to: ref(v2, 2), reason: 'ship v2' });
  const rolled = one('prompt.rolled_back');
  expect(rolled).toMatchObject({ label: 'production', versionId: v1, versionNumber: 1, from: ref(v2, 2), to: ref(v1, 1), reason: 'rollback: v2 regressed' });
  expect(rolled.revision).toBeGreaterThan(moved.revision);
  expect(all('ab_test.started').find((d) => d.promptName === name)).toMatchObject({ abTestId: ab.startABTest.id, label: 'production' });
  expect(one('ab_test.ramped')).toMatchObject({ abTestId: ab.startABTest.id, label: 'production' });
  expect(one('ab_test.stopped')).toMatchObject({ abTestId: ab.startABTest.id, label: 'production', from: ref(v1, 1), to: ref(v2, 2) });
  const concluded = one('ab_test.concluded');
  expect(concluded).toMatchObject({ abTestId: concludedId, promptName: other, winnerVariant: 'B', label: 'production', from: ref(o1, 1), to: ref(o2, 2) });
  expect(concluded.reason).toContain(concludedId);
  expect(one('prompt.updated')).toMatchObject({ promptName: name });
  expect(one('alert.fired')).toMatchObject({ alertId: alert.createAlert.id, promptName: name, metric: 'CALLS', threshold: 2, state: 'FIRING', value: 3 });
  expect(one('alert.resolved')).toMatchObject({ alertId: alert.createAlert.id, promptName: name, state: 'OK' });
  expect(one('webhook.test')).toMatchObject({ webhookId: id, actor: { name: expect.any(String) } });

  // The delivery log: every delivery SUCCEEDED with its attempt (request and response).
  const ds = await waitForDeliveries(ctx.server.url, t.key, id, (d) => d.length === expected.length && d.every((x) => x.status === 'SUCCEEDED'));
  const log = ds[0].attemptLog[0];
  expect(log).toMatchObject({ number: 1, responseStatus: 200, responseBody: 'ok', error: null, latencyMs: expect.any(Number) });
  expect(log.responseHeaders).toMatchObject({ date: expect.any(String), 'transfer-encoding': 'chunked' });
  expect(log.requestHeaders['webhook-signature']).toMatch(/^v1,/);
  expect(JSON.parse(log.requestBody)).toEqual(ds[0].payload);
});

test('filters: event patterns, a folder and a label; only events after the endpoint exists', async () => {
  const t = await tenant();
  const rx = await receiver();
  const p = await createPromptWith(ctx.server.url, t.key, 'sales/pitch', 'A');
  const v1 = p.createPrompt.activeVersion.id;
  const { id } = await createWebhook(ctx.server.url, t.key, {
    url: rx.url,
    events: ['label.*'],
    promptFilter: 'sales/',
    labelFilter: ['production'],
    headers: { 'X-Team-Token': 'team-secret-1' },
  });
  const v2 = (await addVersion(ctx.server.url, t.key, 'sales/pitch', 'B')).id;
  await ok(ctx.server.url, t.key, 'mutation($v: ID!) { setLabel(promptName: "sales/pitch", label: "staging", versionId: $v) { id } }', { v: v2 });
  await createPromptWith(ctx.server.url, t.key, 'other/x', 'C');
  const v3 = (await addVersion(ctx.server.url, t.key, 'other/x', 'D')).id;
  await ok(ctx.server.url, t.key, 'mutation($v: ID!) { setLabel(promptName: "other/x", label: "production", versionId: $v) { id } }', { v: v3 });
  await ok(ctx.server.url, t.key, 'mutation($v: ID!) { setLabel(promptName: "sales/pitch", label: "production", versionId: $v) { id } }', { v: v2 });
  const [only] = await rx.waitFor(1);
  expect(bodyOf(only!).data).toMatchObject({ promptName: 'sales/pitch', label: 'production', from: { versionId: v1 } });
  // Static headers go with every request; the delivery log masks their values (they may be tokens).
  expect(only!.headers['x-team-token']).toBe('team-secret-1');
  const [logged] = await waitForDeliveries(ctx.server.url, t.key, id, (ds) => ds[0]?.status === 'SUCCEEDED');
  expect(logged.attemptLog[0].requestHeaders['x-team-token']).toBe('[static header]');
  await new Promise((r) => setTimeout(r, 500));
  expect(rx.received).toHaveLength(1); // the staging move, other/x and the events before the endpoint existed never came
});

test('500s are retried on the schedule until a 2xx; the log keeps each attempt', async () => {
  const t = await tenant();
  const rx = await receiver((_r, n) => (n < 3 ? { status: 500, body: 'x'.repeat(10_000) } : { status: 204 }));
  const { id } = await createWebhook(ctx.server.url, t.key, { url: rx.url, events: ['prompt.created'] });
  await createPromptWith(ctx.server.url, t.key, 'r500', 'A');
  const got = await rx.waitFor(3);
  expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1); // same id on every attempt
  expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(SCHEDULE[0]! * 0.8 - 5);
  expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(SCHEDULE[1]! * 0.8 - 5);
  expect(new Set(got.map((r) => r.headers['webhook-timestamp'])).size).toBeGreaterThanOrEqual(1);
  const [d] = await waitForDeliveries(ctx.server.url, t.key, id, (ds) => ds[0]?.status === 'SUCCEEDED');
  expect(d.attempts).toBe(3);
  expect(d.attemptLog.map((a: any) => a.responseStatus)).toEqual([500, 500, 204]);
  expect(d.attemptLog[0].responseBody).toHaveLength(4096); // the first 4 KB only
});

test('429 with Retry-After waits as asked; a 3xx is not followed', async () => {
  const t = await tenant();
  const target = await receiver();
  const rx = await receiver((_r, n) =>
    n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : n === 2 ? { status: 302, headers: { location: target.url } } : { status: 200 },
  );
  const { id } = await createWebhook(ctx.server.url, t.key, { url: rx.url, events: ['prompt.created'] });
  await createPromptWith(ctx.server.url, t.key, 'r429', 'A');
  const got = await rx.waitFor(3);
  expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(950); // not the 150 ms of the schedule
  expect(target.received).toHaveLength(0);
  const [d] = await waitForDeliveries(ctx.server.url, t.key, id, (ds) => ds[0]?.status === 'SUCCEEDED');
  expect(d.attemptLog.map((a: any) => a.responseStatus)).toEqual([429, 302, 200]);
});

test('410 Gone disables the endpoint and says why', async () => {
  const t = await tenant();
  const rx = await receiver(() => ({ status: 410 }));
  const { id } = await createWebhook(ctx.server.url, t.key, { url: rx.url, events: ['prompt.created'] });
  await createPromptWith(ctx.server.url, t.key, 'gone-1', 'A');
  const [d] = await waitForDeliveries(ctx.server.url, t.key, id, (ds) => ds[0]?.status === 'FAILED');
  expect(d.attempts).toBe(1);
  const w = await ok(ctx.server.url, t.key, 'query($id: ID!) { webhook(id: $id) { enabled disabledReason } }', { id });
  expect(w.webhook).toEqual({ enabled: false, disabledReason: expect.stringMatching(/410/) });
  await createPromptWith(ctx.server.url, t.key, 'gone-2', 'A');
  await new Promise((r) => setTimeout(r, 400));
  expect(rx.received).toHaveLength(1);
});

test('a timeout and a refused connection are retried until the schedule ends, then FAILED', async () => {
  const t = await tenant();
  const hanging = await receiver(() => 'hang');
  const closed = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
  const a = await createWebhook(ctx.server.url, t.key, { url: hanging.url, events: ['prompt.created'] });
  const b = await createWebhook(ctx.server.url, t.key, { url: `http://127.0.0.1:${closed}/hook`, events: ['prompt.created'] });
  await createPromptWith(ctx.server.url, t.key, 'flaky', 'A');
  const [da] = await waitForDeliveries(ctx.server.url, t.key, a.id, (ds) => ds[0]?.status === 'FAILED', 30_000);
  const [db2] = await waitForDeliveries(ctx.server.url, t.key, b.id, (ds) => ds[0]?.status === 'FAILED', 30_000);
  expect(da.attempts).toBe(SCHEDULE.length + 1);
  expect(da.attemptLog.every((x: any) => /timeout after 400 ms/.test(x.error))).toBe(true);
  expect(db2.attempts).toBe(SCHEDULE.length + 1);
  expect(db2.attemptLog.every((x: any) => /ECONNREFUSED/.test(x.error))).toBe(true);
  expect(hanging.received).toHaveLength(SCHEDULE.length + 1);
  // "Send again every failed delivery since …" starts a new run with the same webhook-id.
  hanging.setHandler(() => ({ status: 200 }));
  const n = await ok(ctx.server.url, t.key, 'mutation($id: ID!, $s: DateTime!) { redeliverFailedWebhooks(webhookId: $id, since: $s) }', {
    id: a.id,
    s: new Date(Date.now() - 60_000).toISOString(),
  });
  expect(n.redeliverFailedWebhooks).toBe(1);
  const again = await hanging.waitFor(SCHEDULE.length + 2);
  expect(again[again.length - 1]!.headers['webhook-id']).toBe(again[0]!.headers['webhook-id']);
  await waitForDeliveries(ctx.server.url, t.key, a.id, (ds) => ds[0]?.status === 'SUCCEEDED');
});

test('rotation: both signatures for 24 hours, each secret verifies; redelivery keeps the webhook-id', async () => {
  const t = await tenant();
  const rx = await receiver();
  const { id, secret: oldSecret } = await createWebhook(ctx.server.url, t.key, { url: rx.url, events: ['prompt.created'] });
  const r = await ok(ctx.server.url, t.key, 'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret webhook { previousSecretExpiresAt } } }', { id });
  const newSecret = r.rotateWebhookSecret.secret as string;
  expect(newSecret).toMatch(/^whsec_/);
  expect(newSecret).not.toBe(oldSecret);
  const expires = new Date(r.rotateWebhookSecret.webhook.previousSecretExpiresAt).getTime();
  expect(Math.abs(expires - (Date.now() + 24 * 3600_000))).toBeLessThan(60_000);
  await createPromptWith(ctx.server.url, t.key, 'rotated', 'A');
  const [got] = await rx.waitFor(1);
  expect(String(got!.headers['webhook-signature']).split(' ')).toHaveLength(2);
  expect(() => verifyWebhook(oldSecret, got!.headers as Record<string, string>, got!.body)).not.toThrow();
  expect(() => verifyWebhook(newSecret, got!.headers as Record<string, string>, got!.body)).not.toThrow();

  // After the grace period only the new secret signs.
  await withSql(ctx.db.url, (sql) => sql`UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = ${id}`);
  const [delivery] = await deliveries(ctx.server.url, t.key, id);
  const re = await ok(ctx.server.url, t.key, 'mutation($d: ID!) { redeliverWebhook(deliveryId: $d) { id webhookId status } }', { d: delivery.id });
  expect(re.redeliverWebhook.webhookId).toBe(got!.headers['webhook-id']);
  const both = await rx.waitFor(2);
  expect(both[1]!.headers['webhook-id']).toBe(got!.headers['webhook-id']);
  expect(both[1]!.body).toBe(got!.body); // same bytes
  expect(String(both[1]!.headers['webhook-signature']).split(' ')).toHaveLength(1);
  expect(() => verifyWebhook(newSecret, both[1]!.headers as Record<string, string>, both[1]!.body)).not.toThrow();
  expect(() => verifyWebhook(oldSecret, both[1]!.headers as Record<string, string>, both[1]!.body)).toThrow();
});

test('a change that fails at commit (after its outbox row was written) rolls back and sends nothing', async () => {
  const t = await tenant();
  const rx = await receiver();
  await createWebhook(ctx.server.url, t.key, { url: rx.url, events: ['*'] });
  const p = await createPromptWith(ctx.server.url, t.key, 'doomed', 'A');
  const v2 = (await addVersion(ctx.server.url, t.key, 'doomed', 'B')).id;
  await rx.waitFor(3); // prompt.created, version.created ×2
  // A deferred trigger fails the commit of any transaction that wrote an outbox row about a label move of "doomed".
  await withSql(ctx.db.url, async (sql) => {
    await sql.unsafe(`CREATE OR REPLACE FUNCTION doom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF NEW.type = 'label.moved' AND NEW.source->'change'->>'promptName' = 'doomed' THEN RAISE EXCEPTION 'doomed at commit'; END IF; RETURN NEW; END $$`);
    await sql.unsafe(`CREATE CONSTRAINT TRIGGER doom AFTER INSERT ON webhook_events DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION doom()`);
  });
  try {
    await fails(
      ctx.server.url,
      t.key,
      'mutation($v: ID!) { setLabel(promptName: "doomed", label: "production", versionId: $v) { id } }',
      { v: v2 },
      'INTERNAL_SERVER_ERROR',
    );
  } finally {
    await withSql(ctx.db.url, (sql) => sql.unsafe('DROP TRIGGER doom ON webhook_events'));
  }
  await new Promise((r) => setTimeout(r, 500));
  expect(rx.received.map(typeOf)).not.toContain('label.moved');
  const state = await ok(ctx.server.url, t.key, 'query { prompt(name: "doomed") { activeVersion { id } revision } }');
  expect(state.prompt.activeVersion.id).toBe(p.createPrompt.activeVersion.id); // the move rolled back with its event
  const outbox = await withSql(
    ctx.db.url,
    (sql) => sql`SELECT count(*)::int AS n FROM webhook_events WHERE type = 'label.moved' AND source->'change'->>'promptName' = 'doomed'`,
  );
  expect(outbox[0]!.n).toBe(0);
});

test('input is validated at the edge; other workspaces and non-admins see nothing', async () => {
  const t = await tenant();
  const other = await tenant();
  const rx = await receiver();
  const { id } = await createWebhook(ctx.server.url, t.key, { url: rx.url, events: ['label.moved'] });
  const q = 'mutation($i: WebhookInput!) { createWebhook(input: $i) { secret } }';
  expect((await fails(ctx.server.url, t.key, q, { i: { url: 'not a url', events: ['*'] } }, 'BAD_USER_INPUT')).extensions!.field).toBe('input.url');
  expect((await fails(ctx.server.url, t.key, q, { i: { url: rx.url, events: ['label.exploded'] } }, 'BAD_USER_INPUT')).extensions!.field).toBe(
    'input.events.0',
  );
  expect((await fails(ctx.server.url, t.key, q, { i: { url: rx.url, events: [] } }, 'BAD_USER_INPUT')).extensions!.field).toBe('input.events');
  expect(
    (await fails(ctx.server.url, t.key, q, { i: { url: rx.url, events: ['*'], headers: { 'webhook-id': 'x' } } }, 'BAD_USER_INPUT')).extensions!.field,
  ).toBe('input.headers.webhook-id');
  expect((await fails(ctx.server.url, t.key, q, { i: { url: rx.url, events: ['*'], promptFilter: 'Bad Name' } }, 'BAD_USER_INPUT')).extensions!.field).toBe(
    'input.promptFilter',
  );
  expect((await ok(ctx.server.url, other.key, 'query($id: ID!) { webhook(id: $id) { id } }', { id })).webhook).toBeNull();
  await fails(ctx.server.url, other.key, 'mutation($id: ID!) { testWebhook(id: $id) { id } }', { id }, 'NOT_FOUND');
  const editor = (await ok(ctx.server.url, t.key, 'mutation { createApiKey(input: { name: "ed", role: EDITOR }) { key } }')).createApiKey.key;
  await fails(ctx.server.url, editor, 'query { webhooks { id } }', undefined, 'FORBIDDEN');
  // The secret is stored sealed: not in the database in clear.
  const rows = await withSql(ctx.db.url, (sql) => sql`SELECT secret_enc FROM webhook_endpoints WHERE id = ${id}`);
  expect(rows[0]!.secret_enc).toMatch(/^v1\./);
  expect(ctx.server.logs.join('')).not.toMatch(/whsec_/);
});

test('an endpoint whose attempts have failed for 5 days is disabled and says so', async () => {
  const t = await tenant();
  const rx = await receiver(() => ({ status: 503 }));
  const { id } = await createWebhook(ctx.server.url, t.key, { url: rx.url, events: ['prompt.created'] });
  await createPromptWith(ctx.server.url, t.key, 'failing-1', 'A');
  await waitForDeliveries(ctx.server.url, t.key, id, (ds) => ds[0]?.attempts >= 1);
  const w1 = await ok(ctx.server.url, t.key, 'query($id: ID!) { webhook(id: $id) { enabled failingSince } }', { id });
  expect(w1.webhook.enabled).toBe(true);
  expect(w1.webhook.failingSince).not.toBeNull();
  // Its failing run started 5 days and a minute ago (the clock, not the test, is what is shortened here).
  await withSql(ctx.db.url, (sql) => sql`UPDATE webhook_endpoints SET failing_since = now() - interval '5 days 1 minute' WHERE id = ${id}`);
  await rx.waitFor(2);
  const w2 = await waitForDeliveries(ctx.server.url, t.key, id, (ds) => ds[0]?.status === 'FAILED');
  expect(w2[0].attempts).toBeLessThanOrEqual(SCHEDULE.length + 1);
  const w = await ok(ctx.server.url, t.key, 'query($id: ID!) { webhook(id: $id) { enabled disabledReason } }', { id });
  expect(w.webhook.enabled).toBe(false);
  expect(w.webhook.disabledReason).toMatch(/failed since/);
  // Enabling it again clears the reason.
  await ok(
    ctx.server.url,
    t.key,
    'mutation($id: ID!, $u: String!) { updateWebhook(id: $id, input: { url: $u, events: ["prompt.created"], enabled: true }) { enabled } }',
    { id, u: rx.url },
  );
  const w3 = await ok(ctx.server.url, t.key, 'query($id: ID!) { webhook(id: $id) { enabled disabledReason failingSince } }', { id });
  expect(w3.webhook).toEqual({ enabled: true, disabledReason: null, failingSince: null });
});

test('the delivery log is pruned after the retention period; newer entries and deliveries still due stay', async () => {
  const t = await tenant();
  const rx = await receiver();
  const { id } = await createWebhook(ctx.server.url, t.key, { url: rx.url, events: ['prompt.created'] });
  for (const n of ['old-done', 'old-due', 'recent']) await createPromptWith(ctx.server.url, t.key, `prune/${n}`, 'A');
  const ds = await waitForDeliveries(ctx.server.url, t.key, id, (d) => d.length === 3 && d.every((x) => x.status === 'SUCCEEDED'));
  const named = (list: any[], n: string) => list.find((d) => d.payload.data.promptName === `prune/${n}`);
  const old = [named(ds, 'old-done').id, named(ds, 'old-due').id];
  // Two deliveries are 31 days old (the retention is 30); one of them still waits for a retry tomorrow.
  await withSql(ctx.db.url, async (sql) => {
    await sql`UPDATE webhook_attempts SET at = now() - interval '31 days' WHERE delivery_id IN ${sql(old)}`;
    await sql`UPDATE webhook_deliveries SET created_at = now() - interval '31 days' WHERE id IN ${sql(old)}`;
    await sql`UPDATE webhook_events SET created_at = now() - interval '31 days' WHERE id IN (SELECT event_id FROM webhook_deliveries WHERE id IN ${sql(old)})`;
    await sql`UPDATE webhook_deliveries SET status = 'RETRYING', next_attempt_at = now() + interval '1 day' WHERE id = ${old[1]!}`;
  });
  const after = await waitForDeliveries(ctx.server.url, t.key, id, (d) => d.length === 2 && named(d, 'old-due').attemptLog.length === 0, 10_000);
  expect(after.map((d) => d.payload.data.promptName).sort()).toEqual(['prune/old-due', 'prune/recent']);
  expect(named(after, 'recent').attemptLog).toHaveLength(1); // within retention: kept whole
  expect(named(after, 'old-due').status).toBe('RETRYING'); // its old attempts went; the delivery stays until it is done
  const rows = await withSql(
    ctx.db.url,
    (sql) =>
      sql`SELECT source->'change'->>'promptName' AS name FROM webhook_events WHERE workspace_id = ${t.workspaceId} AND type = 'prompt.created' ORDER BY 1`,
  );
  expect(rows.map((r) => r.name)).toEqual(['prune/old-due', 'prune/recent']);
});
