/**
 * The dispatcher on every instance: fans out new outbox events, claims due deliveries (FOR UPDATE
 * SKIP LOCKED plus a lease), sends them signed, records each attempt and decides what comes next
 * (retry on the schedule, give up, disable the endpoint). Woken at once by local commits and by change
 * events from other instances; otherwise polls. Prunes the delivery log after the retention period.
 */
import type { Db } from '../db/client';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../db/schema';
import type { Logger } from '../logger';
import { bodyOf, fanOutBatch } from './outbox';
import { abandonDelivery, claimDueDeliveries, disableEndpoint, markEndpointHealth, pruneBefore, recordAttempt, type ClaimedDelivery } from './outbox-store';
import { decide } from './retry-policy';
import type { SecretBox } from './secret-box';
import { send } from './sender';
import { signatureHeader } from './signing';

export type DispatcherOptions = {
  db: Db;
  logger: Logger;
  box: SecretBox;
  allowPrivateTargets: boolean;
  retryScheduleMs: number[];
  timeoutMs: number;
  pollMs: number;
  disableAfterMs: number;
  retentionDays: number;
  /** Deliveries sent at once by this instance. */
  concurrency?: number;
};

export type Dispatcher = { start(): void; wake(): void; stop(): Promise<void>; stats(): { sent: number; failed: number } };

const PRUNE_EVERY_MS = 3_600_000;

/** Secrets that sign now: the current one, and the previous one until its grace period ends. */
export function liveSecrets(endpoint: WebhookEndpointRow, box: SecretBox, now = Date.now()): string[] {
  const secrets = [box.open(endpoint.secretEnc)];
  if (endpoint.previousSecretEnc && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > now) secrets.push(box.open(endpoint.previousSecretEnc));
  return secrets;
}

/** Request headers as logged: the endpoint's static header values are masked (they may hold tokens). */
function loggedHeaders(headers: Record<string, string>, staticNames: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = staticNames.includes(k) ? '[static header]' : v;
  return out;
}

export function createDispatcher(o: DispatcherOptions): Dispatcher {
  const log = o.logger;
  const concurrency = o.concurrency ?? 16;
  // Longer than any attempt can take; after a crash the delivery is retried once it has run out.
  const leaseMs = o.timeoutMs + 5_000;
  let running = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  let lastPrune = 0;
  const counts = { sent: 0, failed: 0 };

  async function attempt(d: ClaimedDelivery): Promise<void> {
    const ep = d.endpoint;
    if (!ep.enabled || ep.deletedAt) {
      await abandonDelivery(o.db, d.id);
      return;
    }
    const body = bodyOf(d.event);
    const ts = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      ...ep.headers,
      'content-type': 'application/json',
      'user-agent': 'prompt-service-webhooks/1',
      'webhook-id': d.webhookId,
      'webhook-timestamp': String(ts),
      'webhook-signature': signatureHeader(liveSecrets(ep, o.box), d.webhookId, ts, body),
    };
    const result = await send(ep.url, headers, body, { timeoutMs: o.timeoutMs, allowPrivate: o.allowPrivateTargets });
    const outcome = result.status !== null ? { kind: 'status' as const, status: result.status, retryAfter: result.headers?.['retry-after'] ?? null } : { kind: 'error' as const, error: result.error ?? 'error' };
    const decision = decide(outcome, d.runAttempts + 1, o.retryScheduleMs);
    const next: { status: WebhookDeliveryRow['status']; nextAttemptAt: Date | null } =
      decision.action === 'succeeded'
        ? { status: 'SUCCEEDED', nextAttemptAt: null }
        : decision.action === 'retry'
          ? { status: 'RETRYING', nextAttemptAt: new Date(Date.now() + decision.delayMs) }
          : { status: 'FAILED', nextAttemptAt: null };
    await o.db.transaction(async (tx) => {
      await recordAttempt(
        tx,
        d,
        {
          requestHeaders: loggedHeaders(headers, Object.keys(ep.headers)),
          requestBody: body,
          responseStatus: result.status,
          responseHeaders: result.headers,
          responseBody: result.body,
          latencyMs: result.latencyMs,
          error: result.error,
        },
        next,
      );
      const health = await markEndpointHealth(tx, ep.id, decision.action === 'succeeded');
      if (decision.action === 'failed' && decision.disableEndpoint) await disableEndpoint(tx, ep.id, decision.disableEndpoint);
      else if (decision.action !== 'succeeded' && health.failingSince && Date.now() - health.failingSince.getTime() > o.disableAfterMs) {
        await disableEndpoint(tx, ep.id, `Every attempt has failed since ${health.failingSince.toISOString()}; enable it again with updateWebhook once it is fixed.`);
      }
    });
    if (decision.action === 'succeeded') counts.sent++;
    else counts.failed++;
    // Never the secret or the static headers: ids, status and the error only.
    log.debug({ deliveryId: d.id, webhookId: d.webhookId, endpointId: ep.id, status: result.status, error: result.error, next: next.status }, 'webhook attempt');
  }

  /** One pass: fan out everything pending, then send everything due. Returns whether it did anything. */
  async function pass(): Promise<boolean> {
    let busy = false;
    while ((await fanOutBatch(o.db)).events > 0) busy = true;
    for (;;) {
      const due = await claimDueDeliveries(o.db, concurrency, leaseMs);
      if (due.length === 0) break;
      busy = true;
      await Promise.all(due.map((d) => attempt(d).catch((err) => log.error({ deliveryId: d.id, err: (err as Error).message }, 'webhook attempt could not be recorded'))));
    }
    if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      const pruned = await pruneBefore(o.db, new Date(Date.now() - o.retentionDays * 86_400_000));
      if (pruned.attempts || pruned.events) log.info(pruned, 'webhook delivery log pruned');
    }
    return busy;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function run(): Promise<void> {
    while (running) {
      woken = false;
      try {
        await pass();
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'webhook dispatcher pass failed; retrying');
      }
      if (running && !woken) await sleep(o.pollMs);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake() {
      woken = true;
      wakeUp?.();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
    stats: () => ({ ...counts }),
  };
}
