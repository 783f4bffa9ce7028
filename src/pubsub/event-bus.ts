/**
 * Pub/sub between instances: RedisPubSub (graphql-redis-subscriptions) on two ioredis connections
 * when REDIS_URL is set, the in-memory engine otherwise. Publishing is fire-and-forget with a hard
 * timeout: a Redis outage never fails or stalls a mutation (the change is already committed).
 */
import { PubSub, type PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import type { Logger } from '../logger';
import type { Topic, Topics } from './topics';

const PUBLISH_TIMEOUT_MS = 200;

export type EventBus = {
  engine: PubSubEngine;
  kind: 'redis' | 'memory';
  /** Publishes after commit; never throws, never waits longer than a short bound. */
  publish<T extends Topic>(topic: T, payload: Topics[T]): Promise<void>;
  /** In-process listener (cache invalidation); returns an unsubscribe function. */
  listen<T extends Topic>(topic: T, handler: (payload: Topics[T]) => void): Promise<() => void>;
  /** Called when the Redis subscriber reconnects: events may have been lost meanwhile. */
  onResync(handler: () => void): void;
  connected(): boolean;
  close(): Promise<void>;
};

function reviveDates(_key: string, value: unknown): unknown {
  return value; // payloads carry ISO strings; nothing to revive
}

export function createEventBus(redisUrl: string | null, logger: Logger): EventBus {
  const log = logger.child({ module: 'pubsub' });
  const resyncHandlers: Array<() => void> = [];
  let engine: PubSubEngine;
  let clients: Redis[] = [];
  let subscriberReady = true;

  if (redisUrl) {
    const options = {
      // Bounded: no 20-retry stall and no unbounded offline queue behind a dead Redis.
      maxRetriesPerRequest: 1,
      commandTimeout: 1000,
      connectTimeout: 2000,
      retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
    };
    const publisher = new Redis(redisUrl, { ...options, enableOfflineQueue: false, lazyConnect: false });
    const subscriber = new Redis(redisUrl, { ...options, commandTimeout: undefined });
    clients = [publisher, subscriber];
    subscriberReady = false;
    let everReady = false;
    subscriber.on('ready', () => {
      subscriberReady = true;
      if (everReady) {
        log.warn('redis subscriber reconnected: dropping caches (events may have been lost)');
        for (const h of resyncHandlers) h();
      }
      everReady = true;
    });
    subscriber.on('end', () => (subscriberReady = false));
    subscriber.on('close', () => (subscriberReady = false));
    for (const c of clients) c.on('error', (err: Error) => log.warn({ err: err.message }, 'redis error'));
    engine = new RedisPubSub({ publisher, subscriber, reviver: reviveDates });
  } else {
    engine = new PubSub();
  }

  return {
    engine,
    kind: redisUrl ? 'redis' : 'memory',
    async publish(topic, payload) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          engine.publish(topic, payload),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('publish timed out')), PUBLISH_TIMEOUT_MS);
          }),
        ]);
      } catch (err) {
        log.warn({ topic, err: err instanceof Error ? err.message : String(err) }, 'publish failed (change is committed; subscribers resync)');
      } finally {
        clearTimeout(timer);
      }
    },
    async listen(topic, handler) {
      const id = await engine.subscribe(topic, handler as (p: unknown) => void, {});
      return () => engine.unsubscribe(id);
    },
    onResync(handler) {
      resyncHandlers.push(handler);
    },
    connected: () => subscriberReady,
    async close() {
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
