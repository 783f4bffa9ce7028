/**
 * Fixed-window rate limits per key, shared by every instance through Redis without ever waiting on
 * it: each instance counts locally and adds its counts to Redis in the background (INCRBY every
 * FLUSH_MS), deciding on the last shared total plus what it has not sent yet. When Redis is down
 * (or not configured) the local count is all there is: the limit then holds per instance (fail open
 * to the in-process limit, never closed). An instance learns the others' counts at its own flushes,
 * so over several instances the limit may be passed by what the others served within one flush.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logger';

const FLUSH_MS = 50;

export type RateLimiter = {
  /** Counts one request for `key`; returns the seconds to wait when it is over the limit, else null. */
  hit(key: string): number | null;
  /** Like hit, without counting: is `key` over the limit right now? */
  check(key: string): number | null;
  close(): Promise<void>;
};

type Window = { index: number; local: number; pending: number; shared: number };

export function createRateLimiter(options: { name: string; max: number; windowMs: number; redisUrl?: string | null; logger: Logger }): RateLimiter {
  const { max, windowMs } = options;
  const log = options.logger.child({ module: 'ratelimit', limiter: options.name });
  const windows = new Map<string, Window>();
  let timer: NodeJS.Timeout | null = null;
  let lastWarn = 0;
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: 500,
        connectTimeout: 2000,
        retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
      })
    : null;
  redis?.on('error', (err: Error) => warn(err.message));

  function warn(message: string): void {
    if (Date.now() - lastWarn < 10_000) return;
    lastWarn = Date.now();
    log.warn({ err: message }, 'rate limit counts are not shared (redis unavailable): limiting per instance');
  }

  function windowOf(key: string, now: number): Window {
    const index = Math.floor(now / windowMs);
    let w = windows.get(key);
    if (!w || w.index !== index) {
      w = { index, local: 0, pending: 0, shared: 0 };
      windows.set(key, w);
    }
    return w;
  }

  function over(w: Window, now: number): number | null {
    if (Math.max(w.local, w.shared + w.pending) <= max) return null;
    return Math.max(1, Math.ceil(((w.index + 1) * windowMs - now) / 1000));
  }

  async function flush(): Promise<void> {
    timer = null;
    const now = Date.now();
    const current = Math.floor(now / windowMs);
    // Not connected yet (start-up) or reconnecting: keep the counts for the next flush. Zeroing them
    // here would lose them for good, and the other instances would never hear of those requests.
    const connected = redis?.status === 'ready';
    const batch: Array<[string, Window, number]> = [];
    for (const [key, w] of windows) {
      if (w.index < current) windows.delete(key);
      else if (connected && w.pending > 0) {
        batch.push([key, w, w.pending]);
        w.pending = 0;
      }
    }
    if (redis && !connected) {
      if ([...windows.values()].some((w) => w.pending > 0)) schedule();
      return;
    }
    if (!redis || batch.length === 0) return;
    try {
      const pipeline = redis.pipeline();
      for (const [key, w, n] of batch) {
        const redisKey = `pm:rl:${options.name}:${key}:${w.index}`;
        pipeline.incrby(redisKey, n).pexpire(redisKey, windowMs * 2);
      }
      const results = (await pipeline.exec()) ?? [];
      batch.forEach(([, w], i) => {
        const [err, total] = results[i * 2] ?? [];
        if (!err && typeof total === 'number' && w.index === Math.floor(Date.now() / windowMs)) w.shared = total;
      });
    } catch (err) {
      warn(err instanceof Error ? err.message : String(err));
    }
  }

  function schedule(): void {
    if (!timer && redis) timer = setTimeout(() => void flush(), FLUSH_MS);
    if (!redis && windows.size > 10_000) void flush(); // drops old windows
  }

  return {
    hit(key) {
      if (max <= 0) return null;
      const now = Date.now();
      const w = windowOf(key, now);
      w.local++;
      w.pending++;
      schedule();
      return over(w, now);
    },
    check(key) {
      if (max <= 0) return null;
      const w = windows.get(key);
      const now = Date.now();
      if (!w || w.index !== Math.floor(now / windowMs)) return null;
      // Would one more hit be over the limit? (`max` attempts are allowed, the next is refused.)
      return over({ ...w, local: w.local + 1, pending: w.pending + 1 }, now);
    },
    async close() {
      if (timer) clearTimeout(timer);
      timer = null;
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}
