/**
 * A bounded in-process cache with a hard TTL, single-flight loads and generation-checked eviction:
 * a load that started before an eviction never stores its (possibly stale) result.
 */
export type TtlCache<V> = {
  get(key: string): Promise<V>;
  /** The fresh cached value, synchronously, or undefined (lets the hot path skip a promise). */
  peek(key: string): V | undefined;
  evict(key: string): void;
  clear(): void;
  size(): number;
};

/**
 * `ttlMs` may be a function: read at each store (the resolution cache shortens it while pub/sub is down). With
 * `serveStale`, a load failing with an error it accepts (the database is down) answers the expired entry instead:
 * expired entries stay until replaced, evicted or cleared (an evicted entry is never served).
 */
export function createTtlCache<V>(options: {
  ttlMs: number | (() => number);
  maxEntries: number;
  load: (key: string) => Promise<V>;
  serveStale?: (err: unknown) => boolean;
}): TtlCache<V> {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  const inflight = new Map<string, { promise: Promise<V> }>();
  const generations = new Map<string, number>();
  let epoch = 0; // bumped by clear(): invalidates every load in flight

  const generationOf = (key: string) => `${epoch}:${generations.get(key) ?? 0}`;

  return {
    peek(key) {
      const hit = entries.get(key);
      return hit && hit.expiresAt > Date.now() ? hit.value : undefined;
    },
    get(key) {
      const hit = entries.get(key);
      if (hit && hit.expiresAt > Date.now()) return Promise.resolve(hit.value);
      if (hit && !options.serveStale) entries.delete(key);
      const running = inflight.get(key);
      if (running) return running.promise;
      const startedAt = generationOf(key);
      const promise = options
        .load(key)
        .then((value) => {
          const ttl = typeof options.ttlMs === 'function' ? options.ttlMs() : options.ttlMs;
          if (generationOf(key) === startedAt && ttl > 0) {
            if (!entries.has(key) && entries.size >= options.maxEntries) entries.delete(entries.keys().next().value as string);
            entries.set(key, { value, expiresAt: Date.now() + ttl });
          }
          return value;
        })
        .catch((err: unknown) => {
          const stale = entries.get(key);
          if (stale && generationOf(key) === startedAt && options.serveStale?.(err)) return stale.value;
          throw err;
        })
        .finally(() => {
          if (inflight.get(key)?.promise === promise) inflight.delete(key);
        });
      inflight.set(key, { promise });
      return promise;
    },
    evict(key) {
      entries.delete(key);
      inflight.delete(key); // later readers start a fresh load that sees the committed change
      generations.set(key, (generations.get(key) ?? 0) + 1);
      if (generations.size > options.maxEntries * 4) {
        generations.clear();
        epoch++;
      }
    },
    clear() {
      entries.clear();
      inflight.clear();
      generations.clear();
      epoch++;
    },
    size: () => entries.size,
  };
}

/**
 * A bounded map for immutable values (compiled versions never go stale). Eviction is oldest-inserted
 * first: cheaper on the hot path than reordering on every hit, and a re-inserted entry is recompiled.
 */
export function createBoundedMap<V>(maxEntries: number) {
  const map = new Map<string, V>();
  return {
    get(key: string): V | undefined {
      return map.get(key);
    },
    set(key: string, value: V): void {
      if (map.size >= maxEntries) map.delete(map.keys().next().value as string);
      map.set(key, value);
    },
    delete(key: string): void {
      map.delete(key);
    },
  };
}
