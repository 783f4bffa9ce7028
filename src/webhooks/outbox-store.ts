/**
 * SQL of the outbox and the deliveries: insert events (inside the caller's transaction), claim events
 * to fan out and due deliveries to send with FOR UPDATE SKIP LOCKED (so instances never take the same
 * row), record attempts, redeliver, prune.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import {
  abTests,
  promptVersions,
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
  type WebhookAttemptRow,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
  type WebhookEventRow,
} from '../db/schema';
import { rowsOf } from '../db/rows';

export type NewEvent = {
  workspaceId: string;
  type: string;
  source: Record<string, unknown>;
  data?: Record<string, unknown> | null;
  endpointId?: string | null;
};

export async function insertEvents(tx: Executor, events: readonly NewEvent[]): Promise<WebhookEventRow[]> {
  if (events.length === 0) return [];
  return tx
    .insert(webhookEvents)
    .values(events.map((e) => ({ workspaceId: e.workspaceId, type: e.type, source: e.source, data: e.data ?? null, endpointId: e.endpointId ?? null })))
    .returning();
}

/** Status, label, winner and number of weight periods (> 1: ramped) of A/B tests, as this transaction sees them. */
export async function abTestStates(tx: Executor, ids: readonly string[]) {
  const rows = await tx
    .select({
      id: abTests.id,
      status: abTests.status,
      label: abTests.label,
      winnerKey: abTests.winnerKey,
      periods: sql<number>`jsonb_array_length(${abTests.weightHistory})`,
    })
    .from(abTests)
    .where(inArray(abTests.id, [...ids]));
  return new Map(rows.map((r) => [r.id, { ...r, periods: Number(r.periods) }]));
}

/** Locks up to `limit` events not yet fanned out, oldest first, skipping rows another instance holds. */
export async function lockEventsToFanOut(tx: Executor, limit: number): Promise<WebhookEventRow[]> {
  return tx
    .select()
    .from(webhookEvents)
    .where(isNull(webhookEvents.fannedOutAt))
    .orderBy(asc(webhookEvents.seq))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** Enabled endpoints of these workspaces that existed when the events were recorded. */
export async function liveEndpointsOf(tx: Executor, workspaceIds: readonly string[]): Promise<WebhookEndpointRow[]> {
  if (workspaceIds.length === 0) return [];
  return tx
    .select()
    .from(webhookEndpoints)
    .where(and(inArray(webhookEndpoints.workspaceId, [...workspaceIds]), eq(webhookEndpoints.enabled, true), isNull(webhookEndpoints.deletedAt)));
}

/** One statement for the whole batch: marks the events fanned out and stores the data built for them. */
export async function markFannedOut(tx: Executor, events: readonly { id: string; data: Record<string, unknown> | null }[]): Promise<void> {
  if (events.length === 0) return;
  await tx.execute(sql`/* markFannedOut */ UPDATE webhook_events e SET fanned_out_at = now(), data = coalesce(v.data, e.data)
FROM jsonb_to_recordset(${JSON.stringify(events)}::jsonb) AS v(id uuid, data jsonb) WHERE e.id = v.id`);
}

export type NewDelivery = { workspaceId: string; endpointId: string; eventId: string; eventType: string; webhookId: string };

/** One delivery per (endpoint, event): a second fan-out of the same pair inserts nothing. */
export async function insertDeliveries(tx: Executor, rows: readonly NewDelivery[]): Promise<WebhookDeliveryRow[]> {
  if (rows.length === 0) return [];
  return tx
    .insert(webhookDeliveries)
    .values(rows.map((r) => ({ ...r, status: 'PENDING' as const, nextAttemptAt: new Date() })))
    .onConflictDoNothing({ target: [webhookDeliveries.endpointId, webhookDeliveries.eventId] })
    .returning();
}

export type LabelMoveAt = {
  promptId: string;
  revision: number;
  label: string;
  fromVersionId: string | null;
  toVersionId: string | null;
  reason: string | null;
};

/** The label moves of many prompt changes (prompt, revision) in ONE query, from the append-only history. */
export async function labelMovesAt(db: Executor, changes: readonly { promptId: string; revision: number }[]): Promise<LabelMoveAt[]> {
  if (changes.length === 0) return [];
  return rowsOf<LabelMoveAt>(
    await db.execute(sql`/* labelMovesAt */ SELECT h.prompt_id AS "promptId", h.revision, h.label, h.from_version_id AS "fromVersionId", h.to_version_id AS "toVersionId", h.reason
FROM label_history h JOIN jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) AS c("promptId" uuid, revision int) ON h.prompt_id = c."promptId" AND h.revision = c.revision
ORDER BY h.seq`),
  );
}

export async function versionNumbers(db: Executor, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: promptVersions.id, number: promptVersions.number })
    .from(promptVersions)
    .where(inArray(promptVersions.id, [...ids]));
  return new Map(rows.map((r) => [r.id, r.number]));
}

export type ClaimedDelivery = WebhookDeliveryRow & { event: WebhookEventRow; endpoint: WebhookEndpointRow };

/**
 * Claims up to `limit` due deliveries in ONE statement: the subquery locks them with SKIP LOCKED and
 * the update gives this instance a lease until `leaseMs` from now. A crash leaves the lease to expire,
 * and the delivery is retried by any instance (at least once; same webhook-id).
 */
export async function claimDueDeliveries(db: Executor, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const claimed = rowsOf<{ id: string }>(
    await db.execute(sql`/* claimDueDeliveries */
UPDATE webhook_deliveries SET lease_until = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
WHERE id IN (
  SELECT id FROM webhook_deliveries
  WHERE status IN ('PENDING', 'RETRYING') AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
  ORDER BY next_attempt_at LIMIT ${limit}
  FOR UPDATE SKIP LOCKED)
RETURNING id`),
  );
  if (claimed.length === 0) return [];
  const rows = await db
    .select({ d: webhookDeliveries, event: webhookEvents, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(
      inArray(
        webhookDeliveries.id,
        claimed.map((c) => c.id),
      ),
    );
  return rows.map((r) => ({ ...r.d, event: r.event, endpoint: r.endpoint }));
}

export type AttemptRecord = Omit<WebhookAttemptRow, 'id' | 'at' | 'deliveryId' | 'workspaceId' | 'number'>;

export type AttemptResult = { delivery: WebhookDeliveryRow; attempt: AttemptRecord; status: WebhookDeliveryRow['status']; nextAttemptAt: Date | null };

/**
 * Records a batch of attempts and their deliveries' new state in two statements (one multi-row
 * insert, one update from a JSON recordset), inside the caller's transaction.
 */
export async function recordAttempts(tx: Executor, results: readonly AttemptResult[]): Promise<void> {
  if (results.length === 0) return;
  await tx
    .insert(webhookAttempts)
    .values(results.map((r) => ({ ...r.attempt, deliveryId: r.delivery.id, workspaceId: r.delivery.workspaceId, number: r.delivery.attempts + 1 })));
  const rows = results.map((r) => ({
    id: r.delivery.id,
    status: r.status,
    response_status: r.attempt.responseStatus,
    next_attempt_at: r.nextAttemptAt?.toISOString() ?? null,
  }));
  await tx.execute(sql`/* recordAttempts */ UPDATE webhook_deliveries d
SET status = v.status, attempts = d.attempts + 1, run_attempts = d.run_attempts + 1, response_status = v.response_status,
    next_attempt_at = v.next_attempt_at, lease_until = NULL, updated_at = now()
FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id uuid, status text, response_status int, next_attempt_at timestamptz)
WHERE d.id = v.id`);
}

/** A delivery whose endpoint was disabled or deleted meanwhile: ends without an attempt. */
export async function abandonDelivery(db: Executor, id: string): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ status: 'FAILED', nextAttemptAt: null, leaseUntil: null, updatedAt: new Date() })
    .where(eq(webhookDeliveries.id, id));
}

/** After a success the endpoint is healthy again; after a failure its failing run starts (once). */
export async function markEndpointHealth(tx: Executor, endpointId: string, ok: boolean): Promise<void> {
  // Only when it changes: concurrent attempts to one endpoint must not all queue on its row.
  await tx
    .update(webhookEndpoints)
    .set({ failingSince: ok ? null : sql`now()` })
    .where(and(eq(webhookEndpoints.id, endpointId), ok ? sql`${webhookEndpoints.failingSince} IS NOT NULL` : isNull(webhookEndpoints.failingSince)));
}

export async function disableEndpoint(tx: Executor, endpointId: string, reason: string): Promise<void> {
  await tx.update(webhookEndpoints).set({ enabled: false, disabledReason: reason, updatedAt: new Date() }).where(eq(webhookEndpoints.id, endpointId));
}

/** Starts a new run of attempts (same webhook-id): redelivery. */
export async function requeueDeliveries(
  db: Executor,
  where: { workspaceId: string; ids?: string[]; endpointId?: string; failedSince?: Date },
): Promise<WebhookDeliveryRow[]> {
  const conditions = [eq(webhookDeliveries.workspaceId, where.workspaceId)];
  if (where.ids) conditions.push(inArray(webhookDeliveries.id, where.ids));
  if (where.endpointId) conditions.push(eq(webhookDeliveries.endpointId, where.endpointId));
  if (where.failedSince) conditions.push(eq(webhookDeliveries.status, 'FAILED'), gte(webhookDeliveries.createdAt, where.failedSince));
  return db
    .update(webhookDeliveries)
    .set({ status: 'PENDING', runAttempts: 0, nextAttemptAt: new Date(), leaseUntil: null, updatedAt: new Date() })
    .where(and(...conditions))
    .returning();
}

export async function findDelivery(db: Executor, workspaceId: string, id: string): Promise<WebhookDeliveryRow | null> {
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.workspaceId, workspaceId), eq(webhookDeliveries.id, id)));
  return row ?? null;
}

export async function deliveriesPage(
  db: Executor,
  endpointId: string,
  limit: number,
  before: { createdAt: Date; id: string } | null,
  status: WebhookDeliveryRow['status'] | null,
) {
  const conditions = [eq(webhookDeliveries.endpointId, endpointId)];
  if (status) conditions.push(eq(webhookDeliveries.status, status));
  const where = and(...conditions)!;
  const totalCount = await db.$count(webhookDeliveries, where);
  const page = before
    ? and(
        where,
        or(lt(webhookDeliveries.createdAt, before.createdAt), and(eq(webhookDeliveries.createdAt, before.createdAt), lt(webhookDeliveries.id, before.id))),
      )!
    : where;
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(page)
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit + 1);
  return { rows, totalCount };
}

export async function attemptsOf(db: Executor, deliveryId: string): Promise<WebhookAttemptRow[]> {
  return db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, deliveryId)).orderBy(asc(webhookAttempts.number));
}

export async function eventOf(db: Executor, id: string): Promise<WebhookEventRow | null> {
  const [row] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, id));
  return row ?? null;
}

/** Drops attempts, and events (with their deliveries) that are done, older than `cutoff`. */
export async function pruneBefore(db: Executor, cutoff: Date): Promise<{ attempts: number; events: number }> {
  const attempts = await db.delete(webhookAttempts).where(lt(webhookAttempts.at, cutoff)).returning({ id: webhookAttempts.id });
  const events = rowsOf<{ id: string }>(
    await db.execute(sql`/* pruneWebhookEvents */ DELETE FROM webhook_events e
WHERE e.created_at < ${cutoff.toISOString()}::timestamptz AND e.fanned_out_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status IN ('PENDING', 'RETRYING'))
RETURNING e.id`),
  );
  return { attempts: attempts.length, events: events.length };
}
