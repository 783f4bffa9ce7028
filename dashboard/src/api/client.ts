/**
 * The urql client of one workspace: queries and mutations POSTed to /graphql with the session cookie
 * and `x-workspace-id`; subscriptions over one graphql-ws socket (the cookie rides on the upgrade,
 * the workspace in connectionParams), reconnecting forever with a capped backoff. `onSocket` hears the
 * socket's state (the shell's indicator), `onReconnected` each reconnect (views resynchronise).
 */
import { createClient as createWsClient } from 'graphql-ws';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';

export type SocketState = 'connecting' | 'connected' | 'closed';

/** Waits before reconnect attempt `retries` (0, 1, ...): doubling from 1 s to at most 10 s, with jitter so a restarted server is not hit by every tab at once. */
export function reconnectDelayMs(retries: number, random = Math.random()): number {
  return Math.min(10_000, 1000 * 2 ** retries) * (0.5 + random / 2);
}

/**
 * `onSocket` hears every state; `onReconnected` hears a `connected` that follows a lost socket: events
 * sent meanwhile are gone, so views refetch what they show.
 */
export function createWorkspaceClient(
  workspaceId: string,
  onSocket: (state: SocketState) => void,
  onReconnected: () => void = () => undefined,
): { client: Client; dispose: () => void } {
  let disposed = false;
  let lost = false;
  // A disposed client's socket still reports its own close: that must not colour the next client's state.
  const report = (state: SocketState) => {
    if (disposed) return;
    onSocket(state);
    if (state === 'closed') lost = true;
    else if (state === 'connected' && lost) {
      lost = false;
      onReconnected();
    }
  };
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  const ws = createWsClient({
    url: wsUrl,
    connectionParams: { workspaceId },
    // Always connected while signed in: every view wants live changes, and a lazy socket closing between
    // two views would report "offline" after the next one connected.
    lazy: false,
    keepAlive: 15_000,
    retryAttempts: Number.MAX_SAFE_INTEGER,
    shouldRetry: () => true,
    // graphql-ws's default wait doubles without bound (a laptop asleep for an hour would wait far longer than that to reconnect).
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, reconnectDelayMs(retries))),
    on: {
      connecting: () => report('connecting'),
      connected: () => report('connected'),
      closed: () => report('closed'),
    },
  });
  const client = new Client({
    url: '/graphql',
    // The server's CSRF guard wants POST with a JSON body (GET would need a preflight header).
    preferGetMethod: false,
    fetchOptions: () => ({ credentials: 'same-origin', headers: { 'x-workspace-id': workspaceId } }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return {
    client,
    dispose: () => {
      disposed = true;
      void ws.dispose();
    },
  };
}
