/**
 * Tracked calls: queued in memory, sent through `recordCalls` in batches (by size or interval). Each
 * call gets its `callId` when queued and keeps it through every retry, so a batch resent after a lost
 * answer is acknowledged by the server, never counted twice. The queue is bounded: when full, the
 * OLDEST queued call is dropped and counted (fresh data matters more to dashboards than old).
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../errors';
import { backoffMs, isRetriable, sleep, type GraphQLTransport } from './transport';
import type { TrackedCall } from './types';

const RECORD_CALLS = 'mutation ClientRecordCalls($inputs: [CallInput!]!) { recordCalls(inputs: $inputs) { callId } }';

type CallInput = Omit<TrackedCall, 'at'> & { callId: string; at: string };

export type CallQueueOptions = {
  transport: GraphQLTransport;
  batchSize: number;
  flushIntervalMs: number;
  maxQueued: number;
  retryBaseMs: number;
  retryMaxMs: number;
  onError: (error: Error, context: string) => void;
};

export function createCallQueue(o: CallQueueOptions) {
  const queue: CallInput[] = [];
  const stats = { sentCalls: 0, droppedCalls: 0, rejectedCalls: 0 };
  let flushing: Promise<void> | null = null;
  let failures = 0;
  let retryAt = 0;
  const timer = setInterval(() => void flush(), o.flushIntervalMs);
  timer.unref?.();

  function track(call: TrackedCall): string {
    const callId = call.callId ?? randomUUID();
    if (call.versionId.startsWith('fallback:')) {
      stats.rejectedCalls++; // served from a caller's fallback: no version exists on the server
      return callId;
    }
    const at = call.at instanceof Date ? call.at.toISOString() : (call.at ?? new Date().toISOString());
    queue.push({ ...call, callId, at });
    if (queue.length > o.maxQueued) stats.droppedCalls += queue.splice(0, queue.length - o.maxQueued).length;
    if (queue.length >= o.batchSize) void flush();
    return callId;
  }

  /** The index of the input a non-retriable error names (`inputs.3.latencyMs` → 3), if any. */
  function faultyIndex(err: unknown, length: number): number | null {
    const field = err instanceof DomainError ? err.details.field : undefined;
    const m = typeof field === 'string' ? /^inputs\.(\d+)/.exec(field) : null;
    const i = m ? Number(m[1]) : -1;
    return i >= 0 && i < length ? i : null;
  }

  /** Sends one batch; true when it is settled (stored, or refused for good), false when it must be retried. */
  async function send(batch: CallInput[]): Promise<boolean> {
    while (batch.length > 0) {
      try {
        await o.transport.request(RECORD_CALLS, { inputs: batch });
        stats.sentCalls += batch.length;
        return true;
      } catch (err) {
        if (isRetriable(err)) {
          o.onError(err as Error, 'recordCalls');
          return false;
        }
        o.onError(err as Error, 'recordCalls (refused)');
        const i = faultyIndex(err, batch.length);
        if (i === null) {
          stats.rejectedCalls += batch.length;
          return true;
        }
        batch.splice(i, 1); // drop the one bad call, resend the others at once
        stats.rejectedCalls++;
      }
    }
    return true;
  }

  async function flushOnce(): Promise<void> {
    while (queue.length > 0 && Date.now() >= retryAt) {
      const batch = queue.slice(0, o.batchSize);
      const settled = await send([...batch]);
      // Calls are removed only once settled; the same objects (same callIds) go again otherwise.
      if (settled) {
        const done = new Set(batch); // some may have been dropped meanwhile (queue full)
        let kept = 0;
        for (const c of queue) if (!done.has(c)) queue[kept++] = c;
        queue.length = kept;
        failures = 0;
        retryAt = 0;
      } else {
        retryAt = Date.now() + backoffMs(failures++, o.retryBaseMs, o.retryMaxMs) + o.retryBaseMs;
      }
    }
  }

  /** Sends what is queued (one flush at a time); after a failure, waits out the backoff first. */
  function flush(): Promise<void> {
    if (!flushing) flushing = flushOnce().finally(() => (flushing = null));
    return flushing;
  }

  /** Flushes until the queue is empty or the deadline passes (close()). */
  async function drain(timeoutMs: number): Promise<void> {
    clearInterval(timer);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await flush();
      if (queue.length === 0) return;
      await sleep(Math.max(0, Math.min(retryAt - Date.now(), deadline - Date.now(), 1_000)));
    }
    if (queue.length > 0) o.onError(new Error(`${queue.length} tracked calls could not be sent before close()`), 'close');
  }

  return { track, flush, drain, stats: () => ({ ...stats, queuedCalls: queue.length }) };
}
