/**
 * SSRF with the allowance OFF (the production default): loopback, private, link-local/metadata
 * addresses and a name resolving to loopback are refused at creation (BAD_USER_INPUT, input.url), and
 * at delivery a destination that resolves to loopback now is refused on that attempt — nothing reaches it.
 */
import { fails, ok } from '../helpers/graphql';
import { withSql } from '../helpers/postgres';
import { createPromptWith, newTenant } from '../helpers/seed';
import type { Receiver } from './receiver';
import { createWebhook, useReceivers, useWebhookServer, waitForDeliveries } from './helpers';

const ctx = useWebhookServer({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', WEBHOOK_RETRY_SCHEDULE_MS: '100' });
const receiver = useReceivers();
let rx: Receiver;
beforeAll(async () => {
  rx = await receiver();
});

const CREATE = 'mutation($i: WebhookInput!) { createWebhook(input: $i) { secret } }';

test.each([
  ['http://127.0.0.1:9/hook', /https/],
  ['https://127.0.0.1:9/hook', /private, loopback/],
  ['https://10.1.2.3/hook', /private, loopback/],
  ['https://169.254.169.254/latest/meta-data/', /private, loopback/],
  ['https://[::1]:9/hook', /private, loopback/],
  ['https://localhost:9/hook', /resolves to (127\.0\.0\.1|::1)/],
])('refused at creation: %s', async (url, message) => {
  const t = await newTenant(ctx.server.url, ctx.server.adminKey);
  const err = await fails(ctx.server.url, t.key, CREATE, { i: { url, events: ['*'] } }, 'BAD_USER_INPUT');
  expect(err.extensions!.field).toBe('input.url');
  expect(err.message).toMatch(message);
});

test('at delivery: a host that now resolves to loopback is refused on every attempt; nothing is sent', async () => {
  const t = await newTenant(ctx.server.url, ctx.server.adminKey);
  // Created while its name pointed elsewhere (a name that does not resolve here is accepted: DNS may come later) …
  const { id } = await createWebhook(ctx.server.url, t.key, { url: 'https://hooks.example.invalid/in', events: ['prompt.created'] });
  // … and now it resolves to loopback (what a DNS rebinding does): point it at a name that does.
  await withSql(ctx.db.url, (sql) => sql`UPDATE webhook_endpoints SET url = ${`https://localhost:${rx.port}/hook`} WHERE id = ${id}`);
  await createPromptWith(ctx.server.url, t.key, 'rebound', 'A');
  const [d] = await waitForDeliveries(ctx.server.url, t.key, id, (ds) => ds[0]?.status === 'FAILED');
  expect(d.attempts).toBe(2);
  for (const a of d.attemptLog) expect(a.error).toMatch(/destination refused: .*resolves to (127\.0\.0\.1|::1)/);
  expect(rx.received).toHaveLength(0);
  expect((await ok(ctx.server.url, t.key, 'query { webhooks { id } }')).webhooks).toHaveLength(1);
});
