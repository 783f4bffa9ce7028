/**
 * Verifying a webhook from the prompt service (Standard Webhooks): the signature is
 * `v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + rawBody)>`, the key being the base64 part of
 * the `whsec_…` secret. Self-contained (node:crypto only) so the client package can carry it alone.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

export type WebhookHeaders = Record<string, string | string[] | undefined> | { get(name: string): string | null };

export type VerifyWebhookOptions = {
  /** Largest accepted distance between `webhook-timestamp` and now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** The clock, for tests (ms since the epoch). */
  now?: number;
};

export type VerifiedWebhook<T = unknown> = { id: string; timestamp: number; type: string; data: T; eventTimestamp: string };

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new WebhookVerificationError('The webhook secret is empty or not base64.');
  return key;
}

/** The `v1,…` signature of one message (what the sender computes). */
export function signWebhook(secret: string, id: string, timestampSeconds: number, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestampSeconds}.`).update(rawBody).digest('base64');
  return `v1,${mac}`;
}

/**
 * Checks the signature (constant time, any of the space-separated `v1` signatures may match: during a
 * secret rotation both are sent) and the timestamp tolerance; returns the parsed body. Throws
 * WebhookVerificationError otherwise. Pass the body exactly as received (never re-serialized JSON).
 */
export function verifyWebhook<T = unknown>(
  secret: string,
  headers: WebhookHeaders,
  rawBody: string | Buffer,
  options: VerifyWebhookOptions = {},
): VerifiedWebhook<T> {
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !ts || !signatures) throw new WebhookVerificationError('Missing webhook-id, webhook-timestamp or webhook-signature header.');
  if (!/^\d{1,12}$/.test(ts)) throw new WebhookVerificationError('Invalid webhook-timestamp.');
  const timestamp = Number(ts);
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (Math.abs(now - timestamp) > tolerance) throw new WebhookVerificationError('The webhook timestamp is outside the tolerance (too old or too new).');
  const expected = Buffer.from(signWebhook(secret, id, timestamp, rawBody).slice(3), 'base64');
  let matched = false;
  for (const entry of signatures.split(' ')) {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    // Compare every candidate (no early exit) so timing does not tell which one matched.
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) throw new WebhookVerificationError('No matching webhook signature.');
  let body: { type?: unknown; timestamp?: unknown; data?: unknown };
  try {
    body = JSON.parse(Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody) as typeof body;
  } catch {
    throw new WebhookVerificationError('The webhook body is not JSON.');
  }
  return { id, timestamp, type: String(body?.type ?? ''), data: body?.data as T, eventTimestamp: String(body?.timestamp ?? '') };
}
