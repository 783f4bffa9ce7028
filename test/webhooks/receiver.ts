/** A real HTTP receiver on loopback for webhook tests: records every request; the handler decides the answer. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { headers: http.IncomingHttpHeaders; body: string; at: number };
export type Handler = (req: Received, n: number) => { status: number; headers?: Record<string, string | undefined>; body?: string } | 'hang';

export type Receiver = {
  url: string;
  port: number;
  received: Received[];
  setHandler(h: Handler): void;
  /** Resolves once `count` requests (matching `filter`) have arrived. */
  waitFor(count: number, filter?: (r: Received) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
};

export async function startReceiver(handler: Handler = () => ({ status: 200, body: 'ok' })): Promise<Receiver> {
  let h = handler;
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  const hung: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      received.push(r);
      for (const w of waiters) w();
      const answer = h(r, received.length);
      if (answer === 'hang') {
        hung.push(res);
        return;
      }
      res.writeHead(answer.status, Object.fromEntries(Object.entries(answer.headers ?? {}).filter(([, v]) => v !== undefined)) as Record<string, string>);
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    setHandler: (next) => (h = next),
    waitFor(count, filter = () => true, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const matching = received.filter(filter);
          if (matching.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(matching);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`receiver: expected ${count} requests, got ${received.filter(filter).length}: ${received.map((r) => r.body.slice(0, 120)).join('\n')}`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const typeOf = (r: Received): string => (JSON.parse(r.body) as { type: string }).type;

/** A received message's body: `{ type, timestamp, data }`. */
export const messageOf = (r: Received): { type: string; timestamp: string; data: any } => JSON.parse(r.body) as { type: string; timestamp: string; data: any };
