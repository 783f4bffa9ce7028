/**
 * The urql client of one workspace: queries and mutations POSTed to /graphql with the session cookie
 * and `x-workspace-id`; subscriptions over one graphql-ws socket (the cookie rides on the upgrade,
 * the workspace in connectionParams), reconnecting forever with backoff. `onSocket` hears the
 * socket's state so views can resynchronise after a reconnect.
 */
import { createClient as createWsClient } from 'graphql-ws';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';

export type SocketState = 'connecting' | 'connected' | 'closed';

export function createWorkspaceClient(workspaceId: string, onSocket: (state: SocketState) => void): { client: Client; dispose: () => void } {
  let disposed = false;
  // A disposed client's socket still reports its own close: that must not colour the next client's state.
  const report = (state: SocketState) => {
    if (!disposed) onSocket(state);
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
