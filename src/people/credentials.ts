/**
 * One authenticate for HTTP and WebSocket: an `Authorization: Bearer <key>` goes to the key service
 * exactly as before; without one, the session cookie (in the workspace the request names) is tried.
 * Also the person lookup behind a person's own keys (their current role, briefly cached).
 */
import type { KeyService, PersonLookup } from '../auth/key-service';
import type { Principal } from '../auth/principal';
import type { Db } from '../db/client';
import type { SessionService } from './session-service';
import { findMembership, findUserById } from './user-store';

export type Credentials = {
  authorization?: string | null;
  /** The session cookie's token. */
  sessionToken?: string | null;
  /** `x-workspace-id` (HTTP) or connectionParams `workspaceId` (WebSocket); cookie sessions only. */
  workspaceId?: string | null;
};

export function createAuthenticator(keys: KeyService, sessions: SessionService) {
  return async function authenticate(c: Credentials): Promise<Principal> {
    if (!c.authorization && c.sessionToken) return sessions.authenticate(c.sessionToken, c.workspaceId ?? null);
    return keys.authenticate(c.authorization ?? undefined);
  };
}

const PERSON_TTL_MS = 5_000;

/** The person and role behind a personal key; evicted on MEMBERSHIP_CHANGED, else lives PERSON_TTL_MS. */
export function createPersonLookup(db: Db): { personOf: PersonLookup; evict(userId: string): void; clear(): void } {
  const cache = new Map<string, { value: Awaited<ReturnType<PersonLookup>>; at: number }>();
  return {
    async personOf(userId, workspaceId) {
      const key = `${userId}:${workspaceId}`;
      const hit = cache.get(key);
      if (hit && Date.now() - hit.at < PERSON_TTL_MS) return hit.value;
      const [user, membership] = await Promise.all([findUserById(db, userId), findMembership(db, workspaceId, userId)]);
      const value = user && membership ? { user: { id: user.id, email: user.email, name: user.name }, role: membership.role } : null;
      cache.set(key, { value, at: Date.now() });
      return value;
    },
    evict(userId) {
      for (const key of cache.keys()) if (key.startsWith(`${userId}:`)) cache.delete(key);
    },
    clear: () => cache.clear(),
  };
}
