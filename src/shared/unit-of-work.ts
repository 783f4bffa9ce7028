/**
 * The unit of work of a change: one transaction, the events it emits, and two ways out for them.
 * Inside the transaction, `durable` (a port: the webhook outbox) may write them next to the change,
 * so an event a receiver acts on commits or rolls back with it. After commit, `publish` sends them on
 * the fast at-most-once path (cache eviction, subscriptions). A rolled-back change emits nothing.
 *
 * The usual body of a prompt change: lock the prompt and check `expectedRevision` → change → raise
 * the revision → audit row → `emit` (see src/prompts/prompt-store.ts for the lock and the revision).
 */
import type { Db, Tx } from '../db/client';
import type { Topic, Topics } from '../pubsub/topics';

/** One event of the typed topic map, as a tagged union (`event.topic` narrows `event.payload`). */
export type BusEvent = { [T in Topic]: { topic: T; payload: Topics[T] } }[Topic];

/** Sends an event after commit. Never rejects; resolves within the publish bound (event-bus PUBLISH_TIMEOUT_MS). */
export type EventPublisher = (event: BusEvent) => Promise<void>;

/**
 * Port for "events that must not be lost": called inside the transaction, after the work and before
 * commit, with every event the work emitted (in order). Whatever it writes commits with the change;
 * if it throws, the change rolls back. It picks the events it keeps (by topic / kind).
 */
export type DurableEventSink = (tx: Tx, events: readonly BusEvent[]) => Promise<void>;

export type UnitOfWorkDeps = { db: Db; publish: EventPublisher; durable?: DurableEventSink | null };

/** Emits an event of the change: written to the durable sink before commit, published after it. */
export type Emit = <T extends Topic>(topic: T, payload: Topics[T]) => void;

/** Runs `work` in one transaction; after commit, publishes what it emitted, in order. */
export async function changeInTransaction<T>(deps: UnitOfWorkDeps, work: (tx: Tx, emit: Emit) => Promise<T>): Promise<T> {
  const events: BusEvent[] = [];
  const emit: Emit = (topic, payload) => void events.push({ topic, payload } as BusEvent);
  const result = await deps.db.transaction(async (tx) => {
    const out = await work(tx, emit);
    if (deps.durable && events.length > 0) await deps.durable(tx, events);
    return out;
  });
  for (const e of events) await deps.publish(e);
  return result;
}
