/**
 * Webhooks end to end on real Postgres with real receivers on loopback (private targets allowed, a
 * shrunk retry schedule): every event type, signatures per the spec, filters, retries on 500 / 429 +
 * Retry-After / timeout / connection refused, 410 disabling, rotation, redelivery, the delivery log,
 * and a change that rolls back sending nothing.
 */
import net from 'node:net';
import { assignVariant, type Allocation } from '../../src/experiments/pure';
import { verifyWebhook } from '../../src/client';
import { fails, ok } from '../helpers/graphql';
import { usePostgresServer, withSql, type TestDatabase } from '../helpers/postgres';
import { addVersion, createPromptWith, newTenant, type Tenant } from '../helpers/seed';
import type { TestServer } from '../helpers/server';
import { startReceiver, typeOf, type Receiver } from './receiver';
import { createWebhook, deliveries, waitForDeliveries } from './helpers';

const SCHEDULE = [150, 300, 450];
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
      WEBHOOK_RETRY_SCHEDULE_MS: SCHEDULE.join(','),
      WEBHOOK_TIMEOUT_MS: '400',
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_SECRET_KEY: 'test-server-key-for-webhooks-0001',
    },
  },
);

const receivers: Receiver[] = [];
async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

async function tenant(): Promise<Tenant> {
  return newTenant(server.url, server.adminKey);
}

const bodyOf = (r: { body: string }) => JSON.parse(r.body) as { type: string; timestamp: string; data: any };

test('every event type reaches a subscribed endpoint, signed per the spec, with the data a receiver needs', async () => {
  const t = await tenant();
  const rx = await receiver();
  const { id, secret } = await createWebhook(server.url, t.key, { url: rx.url, events: ['*'], description: 'everything' });
  const p = await createPromptWith(server.url, t.key, 'support/classifier', 'Hello {{name}}');
  const v1 = p.createPrompt.activeVersion.id;
  const v2 = (await addVersion(server.url, t.key, 'support/classifier', 'Hi {{name}}')).id;
  await ok(server.url, t.key, 'mutation { updatePrompt(name: "support/classifier", input: { description: "d" }) { id } }');
  await ok(server.url, t.key, 'mutation($v: ID!) { setLabel(promptName: "support/classifier", label: "production", versionId: $v) { revision } }', { v: v2 });
  await ok(server.url, t.key, 'mutation { rollback(promptName: "support/classifier") { revision } }');
  const ab = await ok(
    server.url,
    t.key,
    'mutation($a: ID!, $b: ID!) { startABTest(input: { promptName: "support/classifier", versionA: $a, versionB: $b }) { id } }',
    { a: v1, b: v2 },
  );
  await ok(
    server.url,
    t.key,
    'mutation($id: ID!, $a: ID!, $b: ID!) { updateABTest(id: $id, variants: [{ versionId: $a, weight: 30 }, { versionId: $b, weight: 70 }]) { id } }',
    { id: ab.startABTest.id, a: v1, b: v2 },
  );
  await ok(server.url, t.key, 'mutation($id: ID!, $b: ID!) { stopABTest(id: $id, promoteVersionId: $b) { id } }', { id: ab.startABTest.id, b: v2 });
  await ok(server.url, t.key, 'mutation { archivePrompt(name: "support/classifier") { id } }');
  await ok(server.url, t.key, 'mutation($id: ID!) { testWebhook(id: $id) { id status } }', { id });

  const expected = [
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
    'webhook.test',
  ];
  const got = await rx.waitFor(expected.length);
  expect(got.map(typeOf).sort()).toEqual([...expected].sort());
  for (const r of got) {
    // The spec's algorithm, through the exported client function; the body is { type, timestamp, data }.
    const v = verifyWebhook(secret, r.headers as Record<string, string>, r.body);
    expect(v.id).toBe(r.headers['webhook-id']);
    expect(r.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(Object.keys(bodyOf(r)).sort()).toEqual(['data', 'timestamp', 'type']);
  }
  // Distinct ids per event.
  expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(expected.length);

  const moved = bodyOf(got.find((r) => typeOf(r) === 'label.moved')!).data;
  expect(moved).toMatchObject({
    workspaceId: t.workspaceId,
    promptName: 'support/classifier',
    label: 'production',
    versionId: v2,
    versionNumber: 2,
    from: { versionId: v1, versionNumber: 1 },
    to: { versionId: v2, versionNumber: 2 },
    actor: { name: expect.any(String) },
  });
  expect(typeof moved.revision).toBe('number');
  const rolled = bodyOf(got.find((r) => typeOf(r) === 'prompt.rolled_back')!).data;
  expect(rolled).toMatchObject({ label: 'production', from: { versionNumber: 2 }, to: { versionNumber: 1 }, reason: 'rollback' });
  expect(rolled.revision).toBeGreaterThan(moved.revision); // receivers order events by revision
  const stopped = bodyOf(got.find((r) => typeOf(r) === 'ab_test.stopped')!).data;
  expect(stopped).toMatchObject({ abTestId: ab.startABTest.id, label: 'production', to: { versionId: v2 } });
  const firstVersion = bodyOf(got.find((r) => typeOf(r) === 'version.created' && bodyOf(r).data.versionNumber === 1)!).data;
  expect(firstVersion.labels).toEqual([{ label: 'production', from: null, to: { versionId: v1, versionNumber: 1 } }]);

  // The delivery log: every delivery SUCCEEDED with its attempt (request and response).
  const ds = await waitForDeliveries(server.url, t.key, id, (d) => d.length === expected.length && d.every((x) => x.status === 'SUCCEEDED'));
  const log = ds[0].attemptLog[0];
  expect(log).toMatchObject({ number: 1, responseStatus: 200, responseBody: 'ok', error: null });
  expect(log.requestHeaders['webhook-signature']).toMatch(/^v1,/);
  expect(JSON.parse(log.requestBody)).toEqual(ds[0].payload);
});

test('filters: event patterns, a folder and a label; only events after the endpoint exists', async () => {
  const t = await tenant();
  const rx = await receiver();
  const p = await createPromptWith(server.url, t.key, 'sales/pitch', 'A');
  const v1 = p.createPrompt.activeVersion.id;
  await createWebhook(server.url, t.key, { url: rx.url, events: ['label.*'], promptFilter: 'sales/', labelFilter: ['production'] });
  const v2 = (await addVersion(server.url, t.key, 'sales/pitch', 'B')).id;
  await ok(server.url, t.key, 'mutation($v: ID!) { setLabel(promptName: "sales/pitch", label: "staging", versionId: $v) { id } }', { v: v2 });
  await createPromptWith(server.url, t.key, 'other/x', 'C');
  const v3 = (await addVersion(server.url, t.key, 'other/x', 'D')).id;
  await ok(server.url, t.key, 'mutation($v: ID!) { setLabel(promptName: "other/x", label: "production", versionId: $v) { id } }', { v: v3 });
  await ok(server.url, t.key, 'mutation($v: ID!) { setLabel(promptName: "sales/pitch", label: "production", versionId: $v) { id } }', { v: v2 });
  const [only] = await rx.waitFor(1);
  expect(bodyOf(only!).data).toMatchObject({ promptName: 'sales/pitch', label: 'production', from: { versionId: v1 } });
  await new Promise((r) => setTimeout(r, 500));
  expect(rx.received).toHaveLength(1); // the staging move, other/x and the events before the endpoint existed never came
});

test('500s are retried on the schedule until a 2xx; the log keeps each attempt', async () => {
  const t = await tenant();
  const rx = await receiver((_r, n) => (n < 3 ? { status: 500, body: 'x'.repeat(10_000) } : { status: 204 }));
  const { id } = await createWebhook(server.url, t.key, { url: rx.url, events: ['prompt.created'] });
  await createPromptWith(server.url, t.key, 'r500', 'A');
  const got = await rx.waitFor(3);
  expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1); // same id on every attempt
  expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(SCHEDULE[0]! * 0.8 - 5);
  expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(SCHEDULE[1]! * 0.8 - 5);
  expect(new Set(got.map((r) => r.headers['webhook-timestamp'])).size).toBeGreaterThanOrEqual(1);
  const [d] = await waitForDeliveries(server.url, t.key, id, (ds) => ds[0]?.status === 'SUCCEEDED');
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
  const { id } = await createWebhook(server.url, t.key, { url: rx.url, events: ['prompt.created'] });
  await createPromptWith(server.url, t.key, 'r429', 'A');
  const got = await rx.waitFor(3);
  expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(950); // not the 150 ms of the schedule
  expect(target.received).toHaveLength(0);
  const [d] = await waitForDeliveries(server.url, t.key, id, (ds) => ds[0]?.status === 'SUCCEEDED');
  expect(d.attemptLog.map((a: any) => a.responseStatus)).toEqual([429, 302, 200]);
});

test('410 Gone disables the endpoint and says why', async () => {
  const t = await tenant();
  const rx = await receiver(() => ({ status: 410 }));
  const { id } = await createWebhook(server.url, t.key, { url: rx.url, events: ['prompt.created'] });
  await createPromptWith(server.url, t.key, 'gone-1', 'A');
  const [d] = await waitForDeliveries(server.url, t.key, id, (ds) => ds[0]?.status === 'FAILED');
  expect(d.attempts).toBe(1);
  const w = await ok(server.url, t.key, 'query($id: ID!) { webhook(id: $id) { enabled disabledReason } }', { id });
  expect(w.webhook).toEqual({ enabled: false, disabledReason: expect.stringMatching(/410/) });
  await createPromptWith(server.url, t.key, 'gone-2', 'A');
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
  const a = await createWebhook(server.url, t.key, { url: hanging.url, events: ['prompt.created'] });
  const b = await createWebhook(server.url, t.key, { url: `http://127.0.0.1:${closed}/hook`, events: ['prompt.created'] });
  await createPromptWith(server.url, t.key, 'flaky', 'A');
  const [da] = await waitForDeliveries(server.url, t.key, a.id, (ds) => ds[0]?.status === 'FAILED', 30_000);
  const [db2] = await waitForDeliveries(server.url, t.key, b.id, (ds) => ds[0]?.status === 'FAILED', 30_000);
  expect(da.attempts).toBe(SCHEDULE.length + 1);
  expect(da.attemptLog.every((x: any) => /timeout after 400 ms/.test(x.error))).toBe(true);
  expect(db2.attempts).toBe(SCHEDULE.length + 1);
  expect(db2.attemptLog.every((x: any) => /ECONNREFUSED/.test(x.error))).toBe(true);
  expect(hanging.received).toHaveLength(SCHEDULE.length + 1);
  // "Send again every failed delivery since …" starts a new run with the same webhook-id.
  hanging.setHandler(() => ({ status: 200 }));
  const n = await ok(server.url, t.key, 'mutation($id: ID!, $s: DateTime!) { redeliverFailedWebhooks(webhookId: $id, since: $s) }', {
    id: a.id,
    s: new Date(Date.now() - 60_000).toISOString(),
  });
  expect(n.redeliverFailedWebhooks).toBe(1);
  const again = await hanging.waitFor(SCHEDULE.length + 2);
  expect(again[again.length - 1]!.headers['webhook-id']).toBe(again[0]!.headers['webhook-id']);
  await waitForDeliveries(server.url, t.key, a.id, (ds) => ds[0]?.status === 'SUCCEEDED');
});

test('rotation: both signatures for 24 hours, each secret verifies; redelivery keeps the webhook-id', async () => {
  const t = await tenant();
  const rx = await receiver();
  const { id, secret: oldSecret } = await createWebhook(server.url, t.key, { url: rx.url, events: ['prompt.created'] });
  const r = await ok(server.url, t.key, 'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret webhook { previousSecretExpiresAt } } }', { id });
  const newSecret = r.rotateWebhookSecret.secret as string;
  expect(newSecret).toMatch(/^whsec_/);
  expect(newSecret).not.toBe(oldSecret);
  const expires = new Date(r.rotateWebhookSecret.webhook.previousSecretExpiresAt).getTime();
  expect(Math.abs(expires - (Date.now() + 24 * 3600_000))).toBeLessThan(60_000);
  await createPromptWith(server.url, t.key, 'rotated', 'A');
  const [got] = await rx.waitFor(1);
  expect(String(got!.headers['webhook-signature']).split(' ')).toHaveLength(2);
  expect(() => verifyWebhook(oldSecret, got!.headers as Record<string, string>, got!.body)).not.toThrow();
  expect(() => verifyWebhook(newSecret, got!.headers as Record<string, string>, got!.body)).not.toThrow();

  // After the grace period only the new secret signs.
  await withSql(db.url, (sql) => sql`UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = ${id}`);
  const [delivery] = await deliveries(server.url, t.key, id);
  const re = await ok(server.url, t.key, 'mutation($d: ID!) { redeliverWebhook(deliveryId: $d) { id webhookId status } }', { d: delivery.id });
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
  await createWebhook(server.url, t.key, { url: rx.url, events: ['*'] });
  const p = await createPromptWith(server.url, t.key, 'doomed', 'A');
  const v2 = (await addVersion(server.url, t.key, 'doomed', 'B')).id;
  await rx.waitFor(3); // prompt.created, version.created ×2
  // A deferred trigger fails the commit of any transaction that wrote an outbox row about a label move of "doomed".
  await withSql(db.url, async (sql) => {
    await sql.unsafe(`CREATE OR REPLACE FUNCTION doom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF NEW.type = 'label.moved' AND NEW.source->'change'->>'promptName' = 'doomed' THEN RAISE EXCEPTION 'doomed at commit'; END IF; RETURN NEW; END $$`);
    await sql.unsafe(`CREATE CONSTRAINT TRIGGER doom AFTER INSERT ON webhook_events DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION doom()`);
  });
  try {
    await fails(
      server.url,
      t.key,
      'mutation($v: ID!) { setLabel(promptName: "doomed", label: "production", versionId: $v) { id } }',
      { v: v2 },
      'INTERNAL_SERVER_ERROR',
    );
  } finally {
    await withSql(db.url, (sql) => sql.unsafe('DROP TRIGGER doom ON webhook_events'));
  }
  await new Promise((r) => setTimeout(r, 500));
  expect(rx.received.map(typeOf)).not.toContain('label.moved');
  const state = await ok(server.url, t.key, 'query { prompt(name: "doomed") { activeVersion { id } revision } }');
  expect(state.prompt.activeVersion.id).toBe(p.createPrompt.activeVersion.id); // the move rolled back with its event
  const outbox = await withSql(
    db.url,
    (sql) => sql`SELECT count(*)::int AS n FROM webhook_events WHERE type = 'label.moved' AND source->'change'->>'promptName' = 'doomed'`,
  );
  expect(outbox[0]!.n).toBe(0);
});

test('input is validated at the edge; other workspaces and non-admins see nothing', async () => {
  const t = await tenant();
  const other = await tenant();
  const rx = await receiver();
  const { id } = await createWebhook(server.url, t.key, { url: rx.url, events: ['label.moved'] });
  const q = 'mutation($i: WebhookInput!) { createWebhook(input: $i) { secret } }';
  expect((await fails(server.url, t.key, q, { i: { url: 'not a url', events: ['*'] } }, 'BAD_USER_INPUT')).extensions!.field).toBe('input.url');
  expect((await fails(server.url, t.key, q, { i: { url: rx.url, events: ['label.exploded'] } }, 'BAD_USER_INPUT')).extensions!.field).toBe('input.events.0');
  expect((await fails(server.url, t.key, q, { i: { url: rx.url, events: [] } }, 'BAD_USER_INPUT')).extensions!.field).toBe('input.events');
  expect((await fails(server.url, t.key, q, { i: { url: rx.url, events: ['*'], headers: { 'webhook-id': 'x' } } }, 'BAD_USER_INPUT')).extensions!.field).toBe(
    'input.headers.webhook-id',
  );
  expect((await fails(server.url, t.key, q, { i: { url: rx.url, events: ['*'], promptFilter: 'Bad Name' } }, 'BAD_USER_INPUT')).extensions!.field).toBe(
    'input.promptFilter',
  );
  expect((await ok(server.url, other.key, 'query($id: ID!) { webhook(id: $id) { id } }', { id })).webhook).toBeNull();
  await fails(server.url, other.key, 'mutation($id: ID!) { testWebhook(id: $id) { id } }', { id }, 'NOT_FOUND');
  const editor = (await ok(server.url, t.key, 'mutation { createApiKey(input: { name: "ed", role: EDITOR }) { key } }')).createApiKey.key;
  await fails(server.url, editor, 'query { webhooks { id } }', undefined, 'FORBIDDEN');
  // The secret is stored sealed: not in the database in clear.
  const rows = await withSql(db.url, (sql) => sql`SELECT secret_enc FROM webhook_endpoints WHERE id = ${id}`);
  expect(rows[0]!.secret_enc).toMatch(/^v1\./);
  expect(server.logs.join('')).not.toMatch(/whsec_/);
});

test('an endpoint whose attempts have failed for 5 days is disabled and says so', async () => {
  const t = await tenant();
  const rx = await receiver(() => ({ status: 503 }));
  const { id } = await createWebhook(server.url, t.key, { url: rx.url, events: ['prompt.created'] });
  await createPromptWith(server.url, t.key, 'failing-1', 'A');
  await waitForDeliveries(server.url, t.key, id, (ds) => ds[0]?.attempts >= 1);
  const w1 = await ok(server.url, t.key, 'query($id: ID!) { webhook(id: $id) { enabled failingSince } }', { id });
  expect(w1.webhook.enabled).toBe(true);
  expect(w1.webhook.failingSince).not.toBeNull();
  // Its failing run started 5 days and a minute ago (the clock, not the test, is what is shortened here).
  await withSql(db.url, (sql) => sql`UPDATE webhook_endpoints SET failing_since = now() - interval '5 days 1 minute' WHERE id = ${id}`);
  await rx.waitFor(2);
  const w2 = await waitForDeliveries(server.url, t.key, id, (ds) => ds[0]?.status === 'FAILED');
  expect(w2[0].attempts).toBeLessThanOrEqual(SCHEDULE.length + 1);
  const w = await ok(server.url, t.key, 'query($id: ID!) { webhook(id: $id) { enabled disabledReason } }', { id });
  expect(w.webhook.enabled).toBe(false);
  expect(w.webhook.disabledReason).toMatch(/failed since/);
  // Enabling it again clears the reason.
  await ok(
    server.url,
    t.key,
    'mutation($id: ID!, $u: String!) { updateWebhook(id: $id, input: { url: $u, events: ["prompt.created"], enabled: true }) { enabled } }',
    { id, u: rx.url },
  );
  const w3 = await ok(server.url, t.key, 'query($id: ID!) { webhook(id: $id) { enabled disabledReason failingSince } }', { id });
  expect(w3.webhook).toEqual({ enabled: true, disabledReason: null, failingSince: null });
});

test('ab_test.concluded: a test concluded by the decision rule (automatic promotion) reaches the endpoint', async () => {
  const t = await tenant();
  const rx = await receiver();
  const { secret } = await createWebhook(server.url, t.key, { url: rx.url, events: ['ab_test.*'] });
  const p = await createPromptWith(server.url, t.key, 'concluding', 'A');
  const v1 = p.createPrompt.activeVersion.id;
  const v2 = (await addVersion(server.url, t.key, 'concluding', 'B')).id;
  const test = (
    await ok(
      server.url,
      t.key,
      'mutation($a: ID!, $b: ID!) { startABTest(input: { promptName: "concluding", versionA: $a, versionB: $b, minSampleSize: 30 }) { id salt allocation } }',
      { a: v1, b: v2 },
    )
  ).startABTest as { id: string; salt: string; allocation: Allocation };
  const idsFor = (variant: string, n: number) => {
    const out: string[] = [];
    for (let i = 0; out.length < n; i++) if (assignVariant(test.allocation, test.salt, `r-${variant}-${i}`) === variant) out.push(`r-${variant}-${i}`);
    return out;
  };
  const calls = [
    ...idsFor('A', 40).map((r, i) => ({ versionId: v1, requestId: r, latencyMs: 100, success: true, qualityScore: 0.3 + (i % 5) * 0.05 })),
    ...idsFor('B', 40).map((r, i) => ({ versionId: v2, requestId: r, latencyMs: 100, success: true, qualityScore: 0.7 + (i % 5) * 0.05 })),
  ];
  await ok(server.url, t.key, 'mutation($c: [CallInput!]!) { recordCalls(inputs: $c) { callId } }', { c: calls });
  const got = await rx.waitFor(2);
  expect(got.map(typeOf)).toEqual(['ab_test.started', 'ab_test.concluded']);
  const concluded = verifyWebhook<any>(secret, got[1]!.headers as Record<string, string>, got[1]!.body).data;
  expect(concluded).toMatchObject({
    abTestId: test.id,
    winnerVariant: 'B',
    label: 'production',
    from: { versionId: v1 },
    to: { versionId: v2, versionNumber: 2 },
    promptName: 'concluding',
  });
  expect(concluded.reason).toContain(test.id);
});
