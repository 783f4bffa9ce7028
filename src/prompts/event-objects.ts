/**
 * The prompt and version a change event names, loaded once per event on each instance and shared by
 * every subscriber of that event (all in the event's workspace, which the subscription filter
 * guarantees): a thousand subscribers cost two queries per event, not two thousand.
 */
import type { Db } from '../db/client';
import type { PromptRow, VersionRow } from '../db/schema';
import type { PromptChangedPayload } from '../pubsub/topics';
import { createBoundedMap } from '../shared/ttl-cache';
import { findPromptById } from './prompt-store';
import { findVersion } from './version-store';

export type EventObjects = ReturnType<typeof createEventObjects>;

export function createEventObjects(db: Db) {
  // Keyed by revision: a later event of the same prompt loads the prompt again.
  const promptsAt = createBoundedMap<Promise<PromptRow | null>>(1_000);
  const versions = createBoundedMap<Promise<VersionRow | null>>(2_000); // versions are immutable

  function memo<V>(map: ReturnType<typeof createBoundedMap<Promise<V>>>, key: string, load: () => Promise<V>): Promise<V> {
    let p = map.get(key);
    if (!p) {
      p = load();
      map.set(key, p);
      p.catch(() => map.delete(key)); // a failed load (database down) is retried by the next subscriber
    }
    return p;
  }

  return {
    prompt(e: PromptChangedPayload): Promise<PromptRow | null> {
      return memo(promptsAt, `${e.workspaceId}/${e.promptId}@${e.revision}`, () => findPromptById(db, e.workspaceId, e.promptId));
    },
    version(e: PromptChangedPayload): Promise<VersionRow | null> {
      if (!e.versionId) return Promise.resolve(null);
      const versionId = e.versionId;
      return memo(versions, `${e.workspaceId}/${versionId}`, () => findVersion(db, e.workspaceId, versionId));
    },
  };
}
