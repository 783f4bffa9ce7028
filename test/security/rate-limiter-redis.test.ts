/**
 * The per-key limiter shares its counts through Redis. Counts made while its Redis connection is not
 * ready (an instance's first requests after start, or a Redis restart) are kept and sent once it is,
 * instead of being dropped: CI once saw two instances each serve a key's requests as if alone.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '../../src/logger';
import { createRateLimiter, type RateLimiter } from '../../src/ratelimit/rate-limiter';
import { clearOfWindowEnd } from '../helpers/rate-window';
import { REDIS_URL } from '../helpers/server';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';

const WINDOW = 3_600_000;
const logger = createLogger('silent');
let proxy: TcpProxy;
const limiters: RateLimiter[] = [];

beforeAll(async () => {
  proxy = await startTcpProxy(Number(new URL(REDIS_URL).port || 6379));
});
afterAll(async () => {
  await Promise.all(limiters.map((l) => l.close()));
  await proxy.close();
});

function limiter(name: string, redisUrl: string): RateLimiter {
  const l = createRateLimiter({ name, max: 6, windowMs: WINDOW, redisUrl, logger });
  limiters.push(l);
  return l;
}

async function eventually(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) if (check()) return true;
  return check();
}

test('hits counted before Redis is reachable reach the other instances once it is', async () => {
  await clearOfWindowEnd(WINDOW, 60_000);
  const name = `test-${randomUUID()}`;
  proxy.cut(); // the first instance starts while Redis cannot be reached
  const first = limiter(name, `redis://127.0.0.1:${proxy.port}`);
  for (let i = 0; i < 5; i++) expect(first.hit('k')).toBeNull();
  await new Promise((r) => setTimeout(r, 300)); // several flushes fail to send
  proxy.restore();
  // The shared count (read straight from Redis) reaches 5 once the first has reconnected.
  const redis = new Redis(REDIS_URL);
  const sharedKey = `pm:rl:${name}:k:${Math.floor(Date.now() / WINDOW)}`;
  let shared: string | null = null;
  for (const end = Date.now() + 10_000; shared !== '5' && Date.now() < end; await new Promise((r) => setTimeout(r, 50))) shared = await redis.get(sharedKey);
  await redis.quit();
  expect(shared).toBe('5');
  // A second instance hears of them at its first flush: its second hit is the 7th, over the limit.
  const second = limiter(name, REDIS_URL);
  expect(second.hit('k')).toBeNull();
  expect(await eventually(() => second.check('k') !== null, 10_000)).toBe(true);
  expect(second.hit('k')).toEqual(expect.any(Number));
}, 30_000);

test('without Redis each instance limits alone (fails open to the in-process limit)', async () => {
  await clearOfWindowEnd(WINDOW, 60_000);
  const alone = createRateLimiter({ name: `test-${randomUUID()}`, max: 3, windowMs: WINDOW, logger });
  limiters.push(alone);
  expect([1, 2, 3, 4].map(() => alone.hit('k'))).toEqual([null, null, null, expect.any(Number)]);
  expect(alone.hit('other')).toBeNull();
});
