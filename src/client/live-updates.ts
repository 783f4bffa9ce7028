/**
 * Push invalidation: ONE graphql-ws subscription to `promptChanged` (every prompt of the key's
 * workspace) per client, kept up forever: reconnects with backoff and jitter, resubscribes after a
 * fatal close, and detects a dead peer by ping/pong. Reports each event's name and revision, and every
 * (re)connection, so the client can re-check what it holds. `execute` sends one more operation over
 * the same socket (the fleet report).
 */
import { createClient } from 'graphql-ws/client';
import { backoffMs } from './transport';

const SUBSCRIPTION = 'subscription ClientPromptChanged { promptChanged { promptName revision } }';
/** Ping every 10 s; no pong within 5 s means a dead peer (a half-open TCP connection never closes by itself). */
const KEEP_ALIVE_MS = 10_000;
const PONG_TIMEOUT_MS = 5_000;

export type LiveUpdatesOptions = {
  url: string;
  apiKey: string;
  webSocketImpl?: unknown;
  retryBaseMs: number;
  retryMaxMs: number;
  onEvent(promptName: string, revision: number): void;
  onConnected(): void;
  onDown(): void;
  onError(error: Error, context: string): void;
};

/**
 * The runtime's own WebSocket where there is one (Node ≥ 22, Deno, Bun), else the `ws` package (Node 20 has none).
 * `ws` is required only then, so a runtime with a global WebSocket never loads it.
 */
export function defaultWebSocket(): unknown {
  const global = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (global) return global;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily on purpose (see above)
    return (require('ws') as typeof import('ws')).WebSocket;
  } catch (err) {
    throw new Error('prompt client: this runtime has no global WebSocket (Node < 22) and the ws package cannot be loaded: npm install ws', {
      cause: err,
    });
  }
}

/** `http://h/graphql` → `ws://h/graphql`, `https` → `wss`. */
export function webSocketUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/i, 'ws');
}

export function startLiveUpdates(o: LiveUpdatesOptions): {
  execute(query: string, variables: Record<string, unknown>): Promise<unknown>;
  dispose(): Promise<void>;
} {
  let disposed = false;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  let resubscribeTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;

  const client = createClient({
    url: webSocketUrl(o.url),
    webSocketImpl: o.webSocketImpl ?? defaultWebSocket(),
    connectionParams: { authorization: `Bearer ${o.apiKey}` },
    lazy: true,
    retryAttempts: Number.MAX_SAFE_INTEGER,
    shouldRetry: () => !disposed,
    retryWait: (retries) => new Promise<void>((resolve) => setTimeout(resolve, backoffMs(retries, o.retryBaseMs * 2, o.retryMaxMs) + o.retryBaseMs)),
    keepAlive: KEEP_ALIVE_MS,
    on: {
      connected: () => {
        failures = 0;
        o.onConnected();
      },
      closed: () => {
        clearTimeout(pongTimer);
        if (!disposed) o.onDown();
      },
      error: (err) => {
        if (!disposed) o.onDown();
        o.onError(err instanceof Error ? err : new Error('WebSocket error'), 'subscription');
      },
      ping: (received) => {
        if (!received) pongTimer = setTimeout(() => client.terminate(), PONG_TIMEOUT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });

  function subscribe(): void {
    if (disposed) return;
    client.subscribe<{ promptChanged: { promptName: string; revision: number } }>(
      { query: SUBSCRIPTION },
      {
        next: (result) => {
          const e = result.data?.promptChanged;
          if (e) o.onEvent(e.promptName, e.revision);
          else if (result.errors) o.onError(new Error(result.errors.map((x) => x.message).join('; ')), 'subscription');
        },
        // A fatal close or a refused subscription ends it: start over after a backoff, whatever the reason.
        error: (err) => {
          o.onDown();
          o.onError(err instanceof Error ? err : new Error(`subscription closed: ${JSON.stringify((err as { code?: number }).code ?? err)}`), 'subscription');
          resubscribeTimer = setTimeout(subscribe, backoffMs(failures++, o.retryBaseMs * 2, o.retryMaxMs) + o.retryBaseMs);
        },
        complete: () => {
          if (!disposed) resubscribeTimer = setTimeout(subscribe, o.retryBaseMs);
        },
      },
    );
  }
  subscribe();

  return {
    /** Runs one operation over the same socket (the fleet report); rejects with its errors. */
    execute(query, variables) {
      return new Promise((resolve, reject) => {
        let data: unknown = null;
        client.subscribe(
          { query, variables },
          {
            next: (result) => {
              if (result.errors?.length) reject(new Error(result.errors.map((x) => x.message).join('; ')));
              else data = result.data;
            },
            error: (err) => reject(err instanceof Error ? err : new Error(`closed: ${JSON.stringify((err as { code?: number }).code ?? err)}`)),
            complete: () => resolve(data),
          },
        );
      });
    },
    async dispose() {
      disposed = true;
      clearTimeout(pongTimer);
      clearTimeout(resubscribeTimer);
      await client.dispose();
    },
  };
}
