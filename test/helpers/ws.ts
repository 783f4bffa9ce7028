/** graphql-ws clients for tests (Node 20 has no global WebSocket). */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export function wsClient(
  httpUrl: string,
  key: string | null,
  options: { retryAttempts?: number; onClose?: (code: number, reason: string) => void } = {},
): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    retryAttempts: options.retryAttempts ?? 0,
    lazy: true,
    on: { closed: (e) => options.onClose?.((e as { code: number }).code, (e as { reason: string }).reason) },
  });
}

/** Subscribes and collects events; `next()` waits for the next one (or times out). */
export function collect<T = any>(client: Client, query: string, variables?: Record<string, unknown>) {
  const events: T[] = [];
  const errors: unknown[] = [];
  let notify: (() => void) | null = null;
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (v) => {
        if (v.errors) errors.push(v.errors);
        else events.push(v.data as T);
        notify?.();
      },
      error: (e) => {
        errors.push(e);
        notify?.();
      },
      complete: () => notify?.(),
    },
  );
  return {
    events,
    errors,
    dispose,
    /** Waits until at least `n` events (or an error) arrived. */
    async waitFor(n: number, timeoutMs = 5000): Promise<T[]> {
      const deadline = Date.now() + timeoutMs;
      while (events.length < n && errors.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for ${n} events; got ${events.length}: ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          notify = resolve;
          setTimeout(resolve, Math.min(left, 100));
        });
      }
      return events;
    },
  };
}
