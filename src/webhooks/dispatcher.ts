/**
 * The dispatcher on every instance: fans out new outbox events, claims due deliveries (FOR UPDATE
 * SKIP LOCKED plus a lease), sends them signed, records each attempt and decides what comes next
 * (retry on the schedule, give up, disable the endpoint). Woken at once by local commits and by change
 * events from other instances; otherwise polls. Prunes the delivery log after the retention period.
 */
import type { Db } from '../db/client';
import type { DbFailureMonitor } from '../db/failures';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../db/schema';
import type { Logger } from '../logger';
import { bodyOf, fanOutBatch } from './outbox';
import {
  abandonDelivery,
  claimDueDeliveries,
  disableEndpoint,
  markEndpointHealth,
  pruneBefore,
  recordAttempts,
  type AttemptResult,
  type ClaimedDelivery,
} from './outbox-store';
import { decide, type Decision } from './retry-policy';
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
  /** How often the delivery log is pruned (hourly by default). */
  pruneIntervalMs?: number;
  /** Logs a database failure with its class and codes (and counts it); without it, the message alone. */
  dbFailures?: Pick<DbFailureMonitor, 'report'>;
  /** Deliveries claimed and sent at once by this instance (a batch; connections per host are capped by the agent). */
  concurrency?: number;
};

export type Dispatcher = { start(): void; wake(): void; stop(): Promise<void>; stats(): { sent: number; failed: number } };

/** Secrets that sign now: the current one, and the previous one until its grace period ends. */
export function liveSecrets(endpoint: WebhookEndpointRow, box: SecretBox, now = Date.now()): string[] {
  const secrets = [box.open(endpoint.secretEnc)];
  if (endpoint.previousSecretEnc && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > now)
    secrets.push(box.open(endpoint.previousSecretEnc));
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
  const concurrency = o.concurrency ?? 100;
  // Longer than any attempt can take; after a crash the delivery is retried once it has run out.
  const leaseMs = o.timeoutMs + 5_000;
  const pruneEveryMs = o.pruneIntervalMs ?? 3_600_000;
  let running = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  let lastPrune = 0;
  const counts = { sent: 0, failed: 0 };

  /** Sends one delivery and decides what follows; the caller records the results of a batch together. */
  async function attempt(d: ClaimedDelivery): Promise<{ result: AttemptResult; decision: Decision } | null> {
    const ep = d.endpoint;
    if (!ep.enabled || ep.deletedAt) {
      await abandonDelivery(o.db, d.id);
      return null;
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
    const sent = await send(ep.url, headers, body, { timeoutMs: o.timeoutMs, allowPrivate: o.allowPrivateTargets });
    const outcome =
      sent.status !== null
        ? { kind: 'status' as const, status: sent.status, retryAfter: sent.headers?.['retry-after'] ?? null }
        : { kind: 'error' as const, error: sent.error ?? 'error' };
    const decision = decide(outcome, d.runAttempts + 1, o.retryScheduleMs);
    const status: WebhookDeliveryRow['status'] = decision.action === 'succeeded' ? 'SUCCEEDED' : decision.action === 'retry' ? 'RETRYING' : 'FAILED';
    // Never the secret or the static headers: ids, status and the error only.
    log.debug({ deliveryId: d.id, webhookId: d.webhookId, endpointId: ep.id, status: sent.status, error: sent.error, next: status }, 'webhook attempt');
    return {
      decision,
      result: {
        delivery: d,
        status,
        nextAttemptAt: decision.action === 'retry' ? new Date(Date.now() + decision.delayMs) : null,
        attempt: {
          requestHeaders: loggedHeaders(headers, Object.keys(ep.headers)),
          requestBody: body,
          responseStatus: sent.status,
          responseHeaders: sent.headers,
          responseBody: sent.body,
          latencyMs: sent.latencyMs,
          error: sent.error,
        },
      },
    };
  }

  /** Sends a claimed batch concurrently, then records every attempt and the endpoints' health in one transaction. */
  async function sendBatch(due: ClaimedDelivery[]): Promise<void> {
    const done = (
      await Promise.all(
        due.map((d) =>
          attempt(d).catch((err) => {
            log.error({ deliveryId: d.id, err: (err as Error).message }, 'webhook attempt failed unexpectedly; the lease will expire and it is retried');
            return null;
          }),
        ),
      )
    ).filter((x): x is NonNullable<typeof x> => x !== null);
    if (done.length === 0) return;
    await o.db.transaction(async (tx) => {
      await recordAttempts(
        tx,
        done.map((x) => x.result),
      );
      // Per endpoint: the last outcome of the batch sets its health; 410 or 5 days of failures disable it.
      const byEndpoint = new Map<string, { ep: WebhookEndpointRow; ok: boolean; disable: string | null }>();
      for (const { result, decision } of done) {
        const ep = (result.delivery as ClaimedDelivery).endpoint;
        const prev = byEndpoint.get(ep.id);
        let disable = prev?.disable ?? null;
        if (decision.action === 'failed' && decision.disableEndpoint) disable = decision.disableEndpoint;
        else if (decision.action !== 'succeeded' && ep.failingSince && Date.now() - ep.failingSince.getTime() > o.disableAfterMs) {
          disable ??= `Every attempt has failed since ${ep.failingSince.toISOString()}; enable it again with updateWebhook once it is fixed.`;
        }
        byEndpoint.set(ep.id, { ep, ok: decision.action === 'succeeded', disable });
      }
      for (const { ep, ok, disable } of byEndpoint.values()) {
        if (ok !== (ep.failingSince === null)) await markEndpointHealth(tx, ep.id, ok);
        if (disable) await disableEndpoint(tx, ep.id, disable);
      }
    });
    for (const { decision } of done) {
      if (decision.action === 'succeeded') counts.sent++;
      else counts.failed++;
    }
  }

  /**
   * One pass: alternately fan out a batch of new events and send a batch of due deliveries until
   * neither has work (alternating, so a steady stream of new events never starves the sending).
   */
  async function pass(): Promise<boolean> {
    let busy = false;
    for (;;) {
      const t0 = performance.now();
      const fanned = await fanOutBatch(o.db);
      const t1 = performance.now();
      const due = await claimDueDeliveries(o.db, concurrency, leaseMs);
      const t2 = performance.now();
      if (fanned.events === 0 && due.length === 0) break;
      busy = true;
      if (due.length) await sendBatch(due);
      log.debug(
        { fanned: fanned.events, due: due.length, fanMs: Math.round(t1 - t0), claimMs: Math.round(t2 - t1), sendMs: Math.round(performance.now() - t2) },
        'webhook pass',
      );
    }
    if (Date.now() - lastPrune > pruneEveryMs) {
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
        if (!o.dbFailures?.report(err, log, { phase: 'webhook dispatcher pass' }))
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
