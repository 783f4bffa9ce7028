/**
 * After-commit side effects of a prompt change: evict this instance's cache at once, then publish,
 * and let the mutation answer only once the publish is through (or its short bound has passed).
 */
import type { Actor } from '../auth/principal';
import type { Db, Tx } from '../db/client';
import type { PromptRow } from '../db/schema';
import type { EventBus } from '../pubsub/event-bus';
import type { PromptChangedPayload, PromptChangeKind } from '../pubsub/topics';

/** Never rejects; resolves within the publish bound (event-bus PUBLISH_TIMEOUT_MS). */
export type ChangeNotifier = (event: PromptChangedPayload) => Promise<void>;

export function changeEvent(
  prompt: PromptRow,
  kind: PromptChangeKind,
  actor: Actor,
  extra: { versionId?: string | null; label?: string | null } = {},
): PromptChangedPayload {
  return {
    workspaceId: prompt.workspaceId,
    promptId: prompt.id,
    promptName: prompt.name,
    kind,
    versionId: extra.versionId ?? null,
    label: extra.label ?? null,
    revision: prompt.revision,
    actor,
    at: new Date().toISOString(),
  };
}

/**
 * Local eviction does not wait for the round trip through Redis (read-your-writes on this instance
 * even while Redis is down). Services await the publish before answering: once Redis has accepted
 * it, every other instance has the event in its subscriber socket, so a read sent to any instance
 * after the mutation's response sees the change (read-your-writes across instances). A slow or dead
 * Redis costs a mutation at most the publish bound and never fails it.
 */
export function createChangeNotifier(bus: EventBus, evictLocal: (workspaceId: string, promptName: string) => void): ChangeNotifier {
  return (event) => {
    evictLocal(event.workspaceId, event.promptName);
    return bus.publish('PROMPT_CHANGED', event);
  };
}

/**
 * Runs a change in one transaction and, only after it commits, notifies the events it emitted (in
 * order). A rolled-back change emits nothing.
 */
export async function changeInTransaction<T>(
  deps: { db: Db; notify: ChangeNotifier },
  work: (tx: Tx, emit: (event: PromptChangedPayload) => void) => Promise<T>,
): Promise<T> {
  const events: PromptChangedPayload[] = [];
  const result = await deps.db.transaction((tx) => work(tx, (e) => events.push(e)));
  for (const e of events) await deps.notify(e);
  return result;
}
