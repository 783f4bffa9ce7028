/**
 * Prompt change events: the `promptChanged` payload of a change, and the app's publisher, which evicts
 * this instance's resolution cache at once before publishing (read-your-writes here even while Redis
 * is down). The unit of work that emits them is src/shared/unit-of-work.ts.
 */
import type { Actor } from '../auth/principal';
import type { PromptRow } from '../db/schema';
import type { EventBus } from '../pubsub/event-bus';
import type { PromptChangedPayload, PromptChangeKind } from '../pubsub/topics';
import type { EventPublisher } from '../shared/unit-of-work';

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
 * Local eviction does not wait for the round trip through Redis. Services await the publish before
 * answering: once Redis has accepted it, every other instance has the event in its subscriber
 * socket, so a read sent to any instance after the mutation's response sees the change
 * (read-your-writes across instances). A slow or dead Redis costs a mutation at most the publish
 * bound and never fails it.
 */
export function createEventPublisher(bus: EventBus, evictLocal: (workspaceId: string, promptName: string) => void): EventPublisher {
  return (event) => {
    if (event.topic === 'PROMPT_CHANGED') evictLocal(event.payload.workspaceId, event.payload.promptName);
    return bus.publish(event.topic, event.payload);
  };
}
