/** After-commit side effects of a prompt change: evict this instance's cache at once, then publish. */
import type { Actor } from '../auth/principal';
import type { PromptRow } from '../db/schema';
import type { EventBus } from '../pubsub/event-bus';
import type { PromptChangedPayload, PromptChangeKind } from '../pubsub/topics';

export type ChangeNotifier = (event: PromptChangedPayload) => void;

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
 * even while Redis is down); the publish reaches the other instances and the subscribers.
 */
export function createChangeNotifier(bus: EventBus, evictLocal: (workspaceId: string, promptName: string) => void): ChangeNotifier {
  return (event) => {
    evictLocal(event.workspaceId, event.promptName);
    void bus.publish('PROMPT_CHANGED', event);
  };
}
