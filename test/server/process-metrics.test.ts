/** GET /metrics carries the process gauges (memory, heap, heap after a major GC, event-loop delay) and the delay is windowed per scrape. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startServer, type TestServer } from '../helpers/server';

jest.setTimeout(60_000);

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

const scrape = async () => {
  const text = await (await fetch(server.url.replace('/graphql', '/metrics'))).text();
  const optional = (name: string) => {
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const value = (name: string) => {
    const v = optional(name);
    if (v === undefined) throw new Error(`${name} missing from /metrics:\n${text}`);
    return v;
  };
  return {
    rss: value('process_resident_memory_bytes'),
    heapUsed: value('nodejs_heap_used_bytes'),
    heapTotal: value('nodejs_heap_total_bytes'),
    p99: value('nodejs_eventloop_delay_p99_seconds'),
    max: value('nodejs_eventloop_delay_max_seconds'),
    majorGcs: value('nodejs_gc_major_total'),
    afterMajorGc: optional('nodejs_heap_used_after_major_gc_bytes'),
  };
};

test('memory gauges are the process figures', async () => {
  const m = await scrape();
  // The server runs in this process here, so its figures are ours (within what one request allocates).
  expect(m.rss).toBeGreaterThan(10 * 2 ** 20);
  expect(m.heapUsed).toBeGreaterThan(1 * 2 ** 20);
  expect(m.heapUsed).toBeLessThanOrEqual(m.heapTotal);
  expect(Math.abs(m.rss - process.memoryUsage().rss)).toBeLessThan(200 * 2 ** 20);
});

test('event-loop delay: a blocked loop shows in the next scrape only', async () => {
  await scrape(); // start a fresh window
  await new Promise((r) => setTimeout(r, 100)); // let the sampler record ordinary delays first
  const until = Date.now() + 300;
  while (Date.now() < until); // block the (shared) event loop for 300 ms
  // The sampler records a stall at its next timer tick: a timer of ours firing means that tick has run.
  await new Promise((r) => setTimeout(r, 50));
  const blocked = await scrape();
  expect(blocked.max).toBeGreaterThanOrEqual(0.25);
  // The window was reset by that scrape: without the reset the histogram's max would still be the stall's.
  await new Promise((r) => setTimeout(r, 500));
  const idle = await scrape();
  expect(idle.max).toBeLessThan(blocked.max);
});

test('a major collection updates the heap left after it', async () => {
  // The server runs in this process: a full GC forced here is the server's.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const before = await scrape();
  gc();
  await new Promise((r) => setTimeout(r, 50)); // gc entries reach observers asynchronously
  const after = await scrape();
  expect(after.majorGcs).toBeGreaterThan(before.majorGcs);
  expect(after.afterMajorGc).toBeGreaterThan(1 * 2 ** 20);
  expect(after.afterMajorGc).toBeLessThanOrEqual(after.heapTotal);
});
