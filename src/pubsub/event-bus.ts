/**
 * Pub/sub between instances: RedisPubSub (graphql-redis-subscriptions) on two ioredis connections
 * when REDIS_URL is set, the in-memory engine otherwise. Publishing has a hard time bound: a Redis
 * outage never fails a mutation and never slows it by more than PUBLISH_TIMEOUT_MS (the change is
 * already committed). Redis pub/sub is at-most-once, so the bus tells its users when the subscriber
 * connection drops (`onDown`: events are being lost from now on) and when it is back and re-subscribed
 * (`onResync`: drop caches, make clients re-check revisions).
 */
import { EventEmitter } from 'node:events';
import { PubSub, withFilter, type PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import type { Logger } from '../logger';
import type { Topic, Topics } from './topics';

export const PUBLISH_TIMEOUT_MS = 200;
/** After a publish timed out (Redis black-holed, not refused), later publishes stop waiting this long. */
const BREAKER_MS = 5_000;

export type BusStats = {
  kind: 'redis' | 'memory';
  connected: boolean;
  lastEventAt: number | null;
  published: number;
  publishFailures: number;
  resyncs: number;
};

export type EventBus = {
  engine: PubSubEngine;
  kind: 'redis' | 'memory';
  /**
   * Publishes after commit. Never throws; resolves once Redis has accepted the message (so every
   * subscribed instance has it in its socket before the mutation answers) or after the time bound.
   */
  publish<T extends Topic>(topic: T, payload: Topics[T]): Promise<void>;
  /**
   * A subscriber's stream of one topic (graphql-ws subscriptions): the events `filter` accepts.
   * Ending the iterator (`return()`, on unsubscribe or socket close) unsubscribes from Redis.
   */
  subscribe<T extends Topic>(topic: T, filter: (payload: Topics[T]) => boolean): Promise<AsyncIterableIterator<Topics[T]>>;
  /** In-process listener (cache invalidation, socket control); returns an unsubscribe function. */
  listen<T extends Topic>(topic: T, handler: (payload: Topics[T]) => void): Promise<() => void>;
  /** The Redis subscriber connection dropped: events published from now on are lost here. */
  onDown(handler: () => void): void;
  /** The Redis subscriber is back and re-subscribed: events may have been lost meanwhile. */
  onResync(handler: () => void): void;
  /** True while events from other instances reach this one (always true in memory). */
  connected(): boolean;
  stats(): BusStats;
  close(): Promise<void>;
};

export function createEventBus(redisUrl: string | null, logger: Logger): EventBus {
  const log = logger.child({ module: 'pubsub' });
  const downHandlers: Array<() => void> = [];
  const resyncHandlers: Array<() => void> = [];
  const stats: BusStats = { kind: redisUrl ? 'redis' : 'memory', connected: true, lastEventAt: null, published: 0, publishFailures: 0, resyncs: 0 };
  let engine: PubSubEngine;
  let clients: Redis[] = [];
  let breakerUntil = 0;
  const fire = (handlers: Array<() => void>, what: string) => {
    for (const h of handlers) {
      try {
        h();
      } catch (err) {
        log.error({ err: err instanceof Error ? err.message : String(err) }, `${what} handler failed`);
      }
    }
  };

  if (redisUrl) {
    const options = {
      // Bounded: no 20-retry stall and no unbounded offline queue behind a dead Redis.
      maxRetriesPerRequest: 1,
      commandTimeout: 1000,
      connectTimeout: 2000,
      retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
    };
    const publisher = new Redis(redisUrl, { ...options, enableOfflineQueue: false });
    const subscriber = new Redis(redisUrl, { ...options, commandTimeout: undefined });
    clients = [publisher, subscriber];
    stats.connected = false;
    let everReady = false;
    subscriber.on('ready', () => {
      if (!everReady) {
        everReady = true;
        stats.connected = true;
        return;
      }
      // ioredis emits 'ready' just before it re-sends SUBSCRIBE; a PING queued behind it answers
      // only once Redis has processed the re-subscription, so nothing published after the resync
      // (and after any cache reload it triggers) can be missed.
      void subscriber
        .ping()
        .catch(() => undefined)
        .then(() => {
          if (subscriber.status !== 'ready') return;
          stats.connected = true;
          stats.resyncs++;
          log.warn('redis subscriber re-subscribed: dropping caches and asking clients to re-sync');
          fire(resyncHandlers, 'resync');
        });
    });
    subscriber.on('close', () => {
      if (!stats.connected) return;
      stats.connected = false;
      log.warn('redis subscriber disconnected: events from other instances are lost until it is back');
      fire(downHandlers, 'down');
    });
    for (const c of clients) c.on('error', (err: Error) => log.warn({ err: err.message }, 'redis error'));
    engine = new RedisPubSub({ publisher, subscriber });
    subscriber.on('message', () => (stats.lastEventAt = Date.now()));
  } else {
    // One listener per open subscription: the default cap of 10 would only print false leak warnings.
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    engine = new PubSub({ eventEmitter: emitter });
  }

  return {
    engine,
    kind: stats.kind,
    async publish(topic, payload) {
      let timer: NodeJS.Timeout | undefined;
      const sent = Promise.resolve().then(() => engine.publish(topic, payload));
      sent.catch(() => undefined); // a late rejection (after the bound) is already counted below
      if (stats.kind === 'memory') stats.lastEventAt = Date.now();
      try {
        if (Date.now() < breakerUntil) {
          // Redis recently black-holed a publish: do not make every mutation wait for the bound.
          sent.then(
            () => ((breakerUntil = 0), stats.published++),
            () => stats.publishFailures++,
          );
          return;
        }
        await Promise.race([
          sent,
          new Promise((_, reject) => {
            timer = setTimeout(() => {
              breakerUntil = Date.now() + BREAKER_MS;
              reject(new Error('publish timed out'));
            }, PUBLISH_TIMEOUT_MS);
          }),
        ]);
        stats.published++;
        breakerUntil = 0;
      } catch (err) {
        stats.publishFailures++;
        log.warn(
          { topic, err: err instanceof Error ? err.message : String(err) },
          'publish failed (change is committed; other instances rely on the cache TTL, clients on revisions)',
        );
      } finally {
        clearTimeout(timer);
      }
    },
    async subscribe<T extends Topic>(topic: T, filter: (payload: Topics[T]) => boolean) {
      // withFilter keeps return() reaching the engine's iterator, so unsubscribing reaches Redis.
      const filtered = withFilter(
        () => engine.asyncIterableIterator<Topics[T]>(topic),
        (payload?: Topics[T]) => payload !== undefined && filter(payload),
      );
      return filtered();
    },
    async listen(topic, handler) {
      const id = await engine.subscribe(topic, handler as (p: unknown) => void, {});
      return () => engine.unsubscribe(id);
    },
    onDown(handler) {
      downHandlers.push(handler);
    },
    onResync(handler) {
      resyncHandlers.push(handler);
    },
    connected: () => stats.connected,
    stats: () => ({ ...stats }),
    async close() {
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
