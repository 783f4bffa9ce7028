/**
 * The transactional outbox: the unit of work's DurableEventSink (src/shared/unit-of-work.ts), called
 * inside every change's transaction, writes its events here (one multi-row insert); the fan-out turns
 * each event into one delivery per matching endpoint (an endpoint only receives events recorded after
 * it was created).
 */
import type { Db, Tx } from '../db/client';
import type { WebhookEventRow } from '../db/schema';
import type { PromptChangedPayload } from '../pubsub/topics';
import type { BusEvent, DurableEventSink } from '../shared/unit-of-work';
import { buildDataBatch, subjectOf } from './event-data';
import { endpointWants, TYPE_OF_KIND, type WebhookEventType } from './event-types';
import {
  abTestStates,
  insertDeliveries,
  insertEvents,
  liveEndpointsOf,
  lockEventsToFanOut,
  markFannedOut,
  type NewDelivery,
  type NewEvent,
} from './outbox-store';

/** The `webhook-id` of an event: stable across attempts, redeliveries and endpoints. */
export function webhookIdOf(eventId: string): string {
  return `msg_${eventId.replace(/-/g, '')}`;
}

const AB_KINDS = new Set(['AB_TEST_STARTED', 'AB_TEST_STOPPED', 'AB_TEST_CONCLUDED']);

/**
 * Which webhook events a change's bus events are. Prompt changes map by kind; an A/B test change is
 * one `ab_test.*` event per AB_TEST_UPDATED (its type read from the test row in this transaction:
 * started or ramped while running, stopped, concluded), carrying the prompt change of the same
 * prompt (revision, actor, label). Other topics are not webhook events.
 */
export async function webhookEventsOf(tx: Tx, events: readonly BusEvent[]): Promise<NewEvent[]> {
  const out: NewEvent[] = [];
  const tests = events.flatMap((e) => (e.topic === 'AB_TEST_UPDATED' ? [e.payload] : []));
  const states = tests.length
    ? await abTestStates(
        tx,
        tests.map((t) => t.abTestId),
      )
    : new Map();
  const changes = events.flatMap((e) => (e.topic === 'PROMPT_CHANGED' ? [e.payload] : []));
  for (const e of events) {
    if (e.topic === 'PROMPT_CHANGED') {
      if (AB_KINDS.has(e.payload.kind)) continue; // sent as the test's own event below
      out.push({ workspaceId: e.payload.workspaceId, type: TYPE_OF_KIND[e.payload.kind], source: { change: e.payload } });
    } else if (e.topic === 'AB_TEST_UPDATED') {
      const state = states.get(e.payload.abTestId);
      const change = [...changes].reverse().find((c) => c.promptId === e.payload.promptId);
      if (!state || !change) continue;
      const type: WebhookEventType =
        state.status === 'CONCLUDED'
          ? 'ab_test.concluded'
          : state.status === 'STOPPED'
            ? 'ab_test.stopped'
            : state.periods > 1
              ? 'ab_test.ramped'
              : 'ab_test.started';
      const abChange: PromptChangedPayload = { ...change, label: state.label };
      out.push({
        workspaceId: change.workspaceId,
        type,
        source: { change: abChange, extra: { abTestId: e.payload.abTestId, ...(state.winnerKey ? { winnerVariant: state.winnerKey } : {}) } },
      });
    }
  }
  return out;
}

export function createOutboxSink(): DurableEventSink {
  return async (tx, events) => {
    await insertEvents(tx, await webhookEventsOf(tx, events));
  };
}

/** Fans out one batch of pending events; returns how many events it took (0: nothing pending). */
export async function fanOutBatch(db: Db, limit = 200): Promise<{ events: number; deliveries: number }> {
  return db.transaction(async (tx) => {
    const events = await lockEventsToFanOut(tx, limit);
    if (events.length === 0) return { events: 0, deliveries: 0 };
    const broadcast = events.filter((e) => !e.endpointId);
    const endpoints = await liveEndpointsOf(tx, [...new Set(broadcast.map((e) => e.workspaceId))]);
    const deliveries: NewDelivery[] = [];
    const built: { id: string; data: Record<string, unknown> | null }[] = [];
    const candidatesOf = (event: WebhookEventRow) =>
      endpoints.filter((ep) => ep.workspaceId === event.workspaceId && ep.createdAt.getTime() <= event.createdAt.getTime());
    // Data is built only for events some endpoint may want (a workspace without endpoints costs nothing).
    const wanted = broadcast.filter((e) => candidatesOf(e).length > 0);
    const data = await buildDataBatch(tx, wanted);
    for (const event of events) {
      const d = data.get(event.id) ?? null;
      built.push({ id: event.id, data: d });
      if (event.endpointId || !d) continue;
      const subject = subjectOf(event.type, d);
      for (const ep of candidatesOf(event)) if (endpointWants(ep, event.type, subject)) deliveries.push(deliveryOf(event, ep.id));
    }
    const inserted = await insertDeliveries(tx, deliveries);
    await markFannedOut(tx, built);
    return { events: events.length, deliveries: inserted.length };
  });
}

export function deliveryOf(event: WebhookEventRow, endpointId: string): NewDelivery {
  return { workspaceId: event.workspaceId, endpointId, eventId: event.id, eventType: event.type, webhookId: webhookIdOf(event.id) };
}

/** The body sent for an event: `{ type, timestamp, data }`, the same bytes on every attempt. */
export function bodyOf(event: WebhookEventRow): string {
  return JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data: event.data ?? {} });
}
