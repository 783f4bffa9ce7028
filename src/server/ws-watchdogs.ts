/**
 * The watchdogs of the open WebSocket connections: a key revoked on any instance closes its sockets
 * at once; a periodic re-check covers a lost event, an expiry and a role change; a socket whose send
 * buffer does not drain is a slow consumer; after Redis re-subscribed (events possibly lost) every
 * subscriber reconnects and re-checks the revisions it holds.
 */
import type { WebSocket } from 'ws';
import { KEY_FAILURES } from '../auth/key-failures';
import type { Principal } from '../auth/principal';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import type { Credentials } from '../people/credentials';
import type { Logger } from '../logger';
import type { EventBus } from '../pubsub/event-bus';
import type { createConnectionRegistry } from './ws-connections';

export type WatchdogDeps = {
  registry: ReturnType<typeof createConnectionRegistry<WebSocket>>;
  bus: EventBus;
  authenticate: (credentials: Credentials) => Promise<Principal>;
  limits: { revalidateMs: number; maxStallMs: number };
  /** Closes a socket with a code (counted by the server). */
  close: (socket: WebSocket, code: number, reason: string) => void;
  dropSlowConsumer: (socket: WebSocket) => void;
  /** The close reason of an authentication failure (the HTTP error's words). */
  reasonOf: (err: Error) => string;
  closeCodes: { forbidden: number; serviceRestart: number };
  log: Logger;
};

const sameRights = (a: Principal, b: Principal) => a.workspaceId === b.workspaceId && a.role === b.role && a.scopes.join() === b.scopes.join();

export function startWatchdogs(deps: WatchdogDeps) {
  const { registry, limits, log } = deps;
  const forbidden = (socket: WebSocket, reason: string) => deps.close(socket, deps.closeCodes.forbidden, reason);

  /** Re-checks every open connection's key; closes with 4403 those revoked, expired or changed. */
  async function revalidateAll(): Promise<void> {
    await Promise.all(
      registry.all().map(async (conn) => {
        try {
          const now = await deps.authenticate(conn.credentials);
          if (!sameRights(now, conn.principal)) forbidden(conn.socket, 'Rights changed: reconnect to subscribe with the new ones.');
        } catch (err) {
          if (err instanceof UnauthenticatedError || err instanceof ForbiddenError) forbidden(conn.socket, deps.reasonOf(err));
          // Anything else is a dependency hiccup: keep the connection, check again next time.
        }
      }),
    );
  }

  // Revocation from any instance closes this key's sockets at once; the periodic re-check covers a
  // lost event, an expiry and a role change (within revalidateMs plus the key cache's TTL).
  const unlisten = deps.bus
    .listen('KEY_REVOKED', (e) => {
      for (const conn of registry.ofKey(e.keyId)) forbidden(conn.socket, KEY_FAILURES.KEY_REVOKED);
    })
    .catch((err: unknown) => {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not listen for key revocations');
      return () => undefined;
    });
  let revalidating = false;
  const revalidate = setInterval(() => {
    if (revalidating || registry.size() === 0) return;
    revalidating = true;
    void revalidateAll().finally(() => (revalidating = false));
  }, limits.revalidateMs);
  revalidate.unref();

  // A socket whose send buffer has not emptied for maxStallMs is not reading.
  const stalledSince = new WeakMap<WebSocket, number>();
  const stallCheck = setInterval(
    () => {
      const now = Date.now();
      for (const { socket } of registry.all()) {
        if (socket.bufferedAmount === 0) stalledSince.delete(socket);
        else if (!stalledSince.has(socket)) stalledSince.set(socket, now);
        else if (now - stalledSince.get(socket)! >= limits.maxStallMs) deps.dropSlowConsumer(socket);
      }
    },
    Math.max(100, Math.floor(limits.maxStallMs / 5)),
  );
  stallCheck.unref();

  // Redis re-subscribed after a drop: events were possibly lost, so every subscriber reconnects
  // (1012 is retriable for graphql-ws clients) and re-checks the revisions it holds.
  deps.bus.onResync(() => {
    const conns = registry.all();
    if (conns.length > 0) log.warn({ connections: conns.length }, 'closing subscriptions with 1012 so clients re-sync');
    for (const conn of conns) deps.close(conn.socket, deps.closeCodes.serviceRestart, 'Re-sync: events may have been lost');
  });

  return {
    revalidate: revalidateAll,
    async stop() {
      clearInterval(revalidate);
      clearInterval(stallCheck);
      (await unlisten)();
    },
  };
}
