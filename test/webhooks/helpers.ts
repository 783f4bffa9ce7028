/** Shared setup of the webhook tests: the server they run, their receivers, endpoints, deliveries with their attempts. */
import { randomBytes } from 'node:crypto';
import { ok } from '../helpers/graphql';
import { usePostgresServer, type TestDatabase } from '../helpers/postgres';
import type { TestServer } from '../helpers/server';
import { startReceiver, type Handler, type Receiver } from './receiver';

export const DELIVERY_FIELDS =
  'id event webhookId status attempts responseStatus nextAttemptAt createdAt payload attemptLog { number at requestHeaders requestBody responseStatus responseHeaders responseBody latencyMs error }';

/**
 * The app in-process on the file's own Postgres database, set up as every webhook test needs it:
 * receivers on loopback allowed (a test that checks SSRF passes `WEBHOOK_ALLOW_PRIVATE_TARGETS:
 * 'false'`), a fast poll, its own server key. `env` adds or overrides settings. The handle's
 * `server` and `db` are there once the file's beforeAll has run.
 */
export function useWebhookServer(env: Record<string, string> = {}): { readonly server: TestServer; readonly db: TestDatabase } {
  let server: TestServer | undefined;
  let db: TestDatabase | undefined;
  usePostgresServer(
    (s, d) => {
      server = s;
      db = d;
    },
    {
      env: {
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_POLL_MS: '50',
        WEBHOOK_SECRET_KEY: `webhook-test-key-${randomBytes(12).toString('hex')}`,
        ...env,
      },
    },
  );
  return {
    get server() {
      if (!server) throw new Error('the webhook test server is not up yet (use it inside a test)');
      return server;
    },
    get db() {
      if (!db) throw new Error('the webhook test database is not up yet (use it inside a test)');
      return db;
    },
  };
}

/** Starts receivers for a test file and closes them all after it. */
export function useReceivers(): (handler?: Handler) => Promise<Receiver> {
  const started: Receiver[] = [];
  afterAll(async () => {
    await Promise.all(started.map((r) => r.close()));
  });
  return async (handler) => {
    const r = await startReceiver(handler);
    started.push(r);
    return r;
  };
}

export async function createWebhook(url: string, key: string, input: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const d = await ok(url, key, 'mutation($i: WebhookInput!) { createWebhook(input: $i) { secret webhook { id } } }', { i: input });
  return { id: d.createWebhook.webhook.id, secret: d.createWebhook.secret };
}

export async function deliveries(url: string, key: string, id: string): Promise<any[]> {
  const d = await ok(url, key, `query($id: ID!) { webhook(id: $id) { deliveries(first: 50) { totalCount edges { node { ${DELIVERY_FIELDS} } } } } }`, { id });
  return d.webhook.deliveries.edges.map((e: { node: unknown }) => e.node);
}

/** Polls until `pred` holds for the endpoint's deliveries. */
export async function waitForDeliveries(url: string, key: string, id: string, pred: (ds: any[]) => boolean, timeoutMs = 20_000): Promise<any[]> {
  const end = Date.now() + timeoutMs;
  let last: any[] = [];
  while (Date.now() < end) {
    last = await deliveries(url, key, id);
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`deliveries never matched: ${JSON.stringify(last, null, 1).slice(0, 3000)}`);
}
