/**
 * Group commit: concurrent submissions are written together, one flush (one statement, one commit)
 * per batch, and each submitter's promise settles only when its batch's flush has finished. Batches
 * form on their own: while a flush is in flight new items queue, and the next flush takes them all
 * (up to `maxBatch`); an idle queue flushes at the end of the current event-loop turn, so a lone
 * call waits for no timer. `maxInFlight` flushes may overlap (one building while one commits).
 */

/** Per-item outcome of a flush: a value, or an error for that item alone. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export type GroupCommit<T, R> = {
  submit(item: T): Promise<R>;
  /** Waits until everything submitted so far has been flushed; later submits are refused. */
  drain(): Promise<void>;
  pending(): number;
};

type Entry<T, R> = { item: T; resolve: (r: R) => void; reject: (e: unknown) => void };

export function createGroupCommit<T, R>(
  flush: (items: T[]) => Promise<Outcome<R>[]>,
  options: { maxBatch: number; maxInFlight: number; onClosed: () => Error },
): GroupCommit<T, R> {
  let queue: Entry<T, R>[] = [];
  let inFlight = 0;
  let scheduled = false;
  let closed = false;
  const idleWaiters: Array<() => void> = [];

  const settleIdle = () => {
    if (queue.length === 0 && inFlight === 0) for (const w of idleWaiters.splice(0)) w();
  };

  const run = async (batch: Entry<T, R>[]) => {
    inFlight++;
    try {
      const outcomes = await flush(batch.map((e) => e.item));
      batch.forEach((e, i) => {
        const o = outcomes[i]!;
        if (o.ok) e.resolve(o.value);
        else e.reject(o.error);
      });
    } catch (err) {
      for (const e of batch) e.reject(err);
    } finally {
      inFlight--;
      pump();
      settleIdle();
    }
  };

  function pump(): void {
    while (queue.length > 0 && inFlight < options.maxInFlight) {
      const batch = queue.length <= options.maxBatch ? queue : queue.slice(0, options.maxBatch);
      queue = queue.length <= options.maxBatch ? [] : queue.slice(options.maxBatch);
      void run(batch);
    }
  }

  return {
    submit(item) {
      if (closed) return Promise.reject(options.onClosed());
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (inFlight < options.maxInFlight && !scheduled) {
          scheduled = true;
          setImmediate(() => {
            scheduled = false;
            pump();
          });
        }
      });
    },
    drain() {
      closed = true;
      pump();
      if (queue.length === 0 && inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    pending: () => queue.length + inFlight,
  };
}
