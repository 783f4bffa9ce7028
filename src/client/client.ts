/**
 * createPromptClient: resolves prompts locally from held copies (a warm resolve does no I/O), keeps
 * them current through one push subscription plus revision re-checks, survives an unreachable
 * server (last known good copy, snapshot file, caller fallbacks) and batches tracked calls. This
 * file is the wiring; the parts: held-copies.ts (what is held, fallback rules), refresh-loop.ts
 * (refetch and re-check), live-updates.ts (push), call-queue.ts (tracked calls), snapshot.ts.
 */
import { DomainError, NotFoundError, UnavailableError } from '../errors';
import { createCallQueue } from './call-queue';
import { heldReport, startFleetReports } from './fleet-report';
import { createHeldCopies } from './held-copies';
import { holdPrompt } from './local-render';
import { startLiveUpdates } from './live-updates';
import { createRefreshLoop } from './refresh-loop';
import { createSnapshotWriter, readSnapshot } from './snapshot';
import { createTransport, isRetriable } from './transport';
import type {
  ClientStats,
  PromptClientOptions,
  PromptName,
  PromptVariablesMap,
  ResolveArgs,
  ResolvedPrompt,
  ResolveOptions,
  TrackedCall,
  WirePrompt,
} from './types';

const CLIENT_PROMPTS = `query ClientPrompts($names: [String!]!) { clientPrompts(names: $names) {
  name revision latestVersionId labels { name versionId }
  versions { id number type template systemMessage messages variables model temperature maxTokens config tools responseFormat }
  abTests { id label salt allocation variants { key versionId } } } }`;
const PROMPT_REVISIONS = 'query ClientPromptRevisions($names: [String!]!) { promptRevisions(names: $names) { name revision } }';

/** `P`: the generated `PromptVariables` map (see `prompt-service typegen`); without it every name is untyped. */
export type PromptClient<P extends PromptVariablesMap = Record<never, never>> = {
  /** Renders `name` behind `label` (default production) locally; the same result as `resolvePrompt`, plus `stale`. */
  resolve<N extends PromptName<P>>(name: N, ...args: ResolveArgs<P, N>): Promise<ResolvedPrompt>;
  /** Queues a call for `recordCalls`; returns its callId. Never throws, never waits. */
  track(call: TrackedCall): string;
  /** Sends queued calls now. */
  flush(): Promise<void>;
  stats(): ClientStats;
  /**
   * Holds every copy as it is (no refetch on events or re-checks) until `resumeUpdates()`; fleet reports go
   * on, so the fleet view shows this instance stale, then lagging. For freezing prompts during an incident.
   */
  pauseUpdates(): void;
  /** Applies changes again, starting with a re-check of everything held. */
  resumeUpdates(): void;
  /** Stops the subscription and timers, flushes tracked calls (bounded by `closeTimeoutMs`). */
  close(): Promise<void>;
};

export function createPromptClient<P extends PromptVariablesMap = Record<never, never>>(options: PromptClientOptions): PromptClient<P> {
  const o = {
    requestTimeoutMs: 5_000,
    fetchAttempts: 3,
    retryBaseMs: 100,
    retryMaxMs: 10_000,
    recheckIntervalMs: 60_000,
    batchSize: 100,
    flushIntervalMs: 1_000,
    maxQueuedCalls: 10_000,
    closeTimeoutMs: 5_000,
    // Without a handler of the caller's, problems (a snapshot that cannot be written, say) surface as process
    // warnings: reported, never swallowed.
    onError: (error: Error, context: string) => process.emitWarning(error.message, { type: 'PromptClientWarning', code: context }),
    ...options,
  };
  const report = (error: Error, context: string) => {
    try {
      o.onError(error, context);
    } catch {
      // a caller's error handler must not break the client
    }
  };
  const transport = createTransport({ url: o.url, apiKey: o.apiKey, timeoutMs: o.requestTimeoutMs, retryBaseMs: o.retryBaseMs, retryMaxMs: o.retryMaxMs });
  const firstFetches = new Map<string, Promise<void>>();
  let connection: ClientStats['connection'] = 'connecting';
  let closed = false;
  let fetches = 0;
  let paused = false;
  /** Labels served per prompt name: what the fleet report says this instance serves. */
  const served = new Map<string, Set<string>>();
  const copies = createHeldCopies({
    fallbacks: o.fallbacks,
    onStored: () => {
      void snapshot?.save();
      fleet?.changed();
    },
  });
  const { held } = copies;
  const snapshot = o.snapshotFile
    ? createSnapshotWriter(
        o.snapshotFile,
        () => [...held.values()].map((h) => h.data),
        (e) => report(e, 'snapshot'),
      )
    : null;
  if (o.snapshotFile) for (const p of readSnapshot(o.snapshotFile, (e) => report(e, 'snapshot'))) held.set(p.name, holdPrompt(p, true));

  async function fetchPrompts(names: string[], attempts: number): Promise<void> {
    fetches++;
    const data = await transport.requestWithRetry<{ clientPrompts: WirePrompt[] }>(CLIENT_PROMPTS, { names }, attempts, () => closed);
    copies.store(data.clientPrompts);
  }

  const refresh = createRefreshLoop({
    copies,
    fetchPrompts,
    revisions: async (names) =>
      (
        await transport.requestWithRetry<{ promptRevisions: { name: string; revision: number | null }[] }>(
          PROMPT_REVISIONS,
          { names },
          o.fetchAttempts,
          () => closed,
        )
      ).promptRevisions,
    retryBaseMs: o.retryBaseMs,
    retryMaxMs: o.retryMaxMs,
    isClosed: () => closed,
    report,
  });

  const live = startLiveUpdates({
    url: o.url,
    apiKey: o.apiKey,
    webSocketImpl: o.webSocketImpl,
    retryBaseMs: o.retryBaseMs,
    retryMaxMs: o.retryMaxMs,
    onEvent(name, revision) {
      if (paused) return; // resumeUpdates re-checks everything
      // Not held: nothing to refresh. An older or equal revision is ignored; a gap too refetches.
      if (copies.announce(name, revision)) refresh.schedule(name);
    },
    onConnected() {
      connection = 'live';
      refresh.wake();
      fleet?.report();
      // Events published while we were away are lost: re-check everything held, once now and once the
      // subscription is surely registered on the server (its SUBSCRIBE may still be in flight now).
      recheck();
      setTimeout(recheck, 1_000).unref?.();
    },
    onDown() {
      connection = 'down';
    },
    onError: report,
  });
  function recheck(): void {
    if (!paused) void refresh.recheck();
  }
  const fleet =
    o.fleet === false
      ? null
      : startFleetReports({ options: o.fleet ?? {}, send: (q, v) => live.execute(q, v), held: () => heldReport(held, served), onError: report });
  const recheckTimer = o.recheckIntervalMs > 0 ? setInterval(recheck, o.recheckIntervalMs) : null;
  recheckTimer?.unref?.();
  if (held.size > 0) void refresh.recheck(); // snapshot copies: confirm or refresh them as soon as the server answers

  const calls = createCallQueue({
    transport,
    batchSize: o.batchSize,
    flushIntervalMs: o.flushIntervalMs,
    maxQueued: o.maxQueuedCalls,
    retryBaseMs: o.retryBaseMs,
    retryMaxMs: o.retryMaxMs,
    onError: report,
  });

  function noteServed(name: string, label: string): void {
    const labels = served.get(name);
    if (labels?.has(label)) return; // the hot path: nothing new
    if (labels) labels.add(label);
    else served.set(name, new Set([label]));
    fleet?.changed();
  }

  /** The first fetch of a prompt, shared by concurrent callers; a fetch error is thrown only when nothing can be served. */
  function firstFetch(name: string): Promise<void> {
    let p = firstFetches.get(name);
    if (!p) {
      p = fetchPrompts([name], o.fetchAttempts).finally(() => firstFetches.delete(name));
      firstFetches.set(name, p);
    }
    return p;
  }

  async function resolve(name: string, variables: Record<string, unknown> = {}, opts: ResolveOptions = {}): Promise<ResolvedPrompt> {
    const label = opts.label ?? 'production';
    noteServed(name, label);
    const h = held.get(name);
    if (h) return copies.serve(h, name, label, variables, opts.requestId, connection === 'down');
    if (closed) throw new UnavailableError('The prompt client is closed.');
    if (copies.unreachable.has(name)) {
      const served = copies.serveFallback(name, label, variables, 'the prompt server is unreachable');
      if (served) return served;
    }
    try {
      await firstFetch(name);
    } catch (err) {
      if (!(err instanceof DomainError) || isRetriable(err)) {
        copies.unreachable.add(name);
        refresh.schedule(name);
      }
      const served = copies.serveFallback(name, label, variables, (err as Error).message);
      if (served) return served;
      throw err;
    }
    const fetched = held.get(name);
    if (fetched) return copies.serve(fetched, name, label, variables, opts.requestId, connection === 'down');
    const served = copies.serveFallback(name, label, variables, 'no such prompt on the server');
    if (served) return served;
    throw new NotFoundError(`No prompt named "${name.slice(0, 128)}".`);
  }

  return {
    // The map only narrows what callers may pass; at run time every name and value is checked by the renderer.
    resolve: resolve as PromptClient<P>['resolve'],
    track: (call) => calls.track(call),
    flush: () => calls.flush(),
    stats: () => ({ heldPrompts: held.size, fetches, connection, ...calls.stats() }),
    pauseUpdates() {
      paused = true;
    },
    resumeUpdates() {
      paused = false;
      recheck();
    },
    async close() {
      if (closed) return;
      closed = true;
      fleet?.stop();
      if (recheckTimer) clearInterval(recheckTimer);
      refresh.wake();
      await Promise.allSettled([live.dispose(), calls.drain(o.closeTimeoutMs)]);
      await refresh.idle();
      await snapshot?.idle();
    },
  };
}
