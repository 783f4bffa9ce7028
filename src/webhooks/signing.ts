/**
 * Signing outgoing webhooks (Standard Webhooks, symmetric `v1`): HMAC-SHA256 over
 * `id.timestamp.body` with the base64-decoded part of the `whsec_` secret. Receivers verify with
 * src/client/verify-webhook.ts (kept apart: the client package must not import the server).
 */
import { createHmac } from 'node:crypto';

export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** The `webhook-signature` header: one signature per live secret, space-separated (rotation). */
export function signatureHeader(secrets: readonly string[], id: string, timestampSeconds: number, body: string): string {
  return secrets.map((s) => sign(s, id, timestampSeconds, body)).join(' ');
}
