/** GraphQL helpers for webhook tests: create endpoints, read deliveries with their attempts. */
import { ok } from '../helpers/graphql';

export const DELIVERY_FIELDS =
  'id event webhookId status attempts responseStatus nextAttemptAt createdAt payload attemptLog { number at requestHeaders requestBody responseStatus responseHeaders responseBody latencyMs error }';

export async function createWebhook(url: string, key: string, input: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const d = await ok(url, key, 'mutation($i: WebhookInput!) { createWebhook(input: $i) { secret webhook { id } } }', { i: input });
  return { id: d.createWebhook.webhook.id, secret: d.createWebhook.secret };
}

export async function deliveries(url: string, key: string, id: string): Promise<any[]> {
  const d = await ok(url, key, `query($id: ID!) { webhook(id: $id) { deliveries(first: 20) { totalCount edges { node { ${DELIVERY_FIELDS} } } } } }`, { id });
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
