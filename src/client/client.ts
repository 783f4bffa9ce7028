/**
 * createPromptClient: resolves prompts locally from held copies (a warm resolve does no I/O), keeps
 * them current through one push subscription plus revision re-checks, survives an unreachable
 * server (last known good copy, snapshot file, caller fallbacks) and batches tracked calls.
 */
import { DomainError, NotFoundError, UnavailableError } from '../errors';
import { createCallQueue } from './call-queue';
import { createLocalRenderer, fallbackVersion, holdPrompt, type Choice, type HeldPrompt, type Rendered } from './local-render';
import { startLiveUpdates } from './live-updates';
import { createSnapshotWriter, readSnapshot } from './snapshot';
import { backoffMs, createTransport, isRetriable } from './transport';
import type { ClientStats, PromptClientOptions, ResolvedPrompt, ResolveOptions, TrackedCall, WirePrompt } from './types';

const CLIENT_PROMPTS = `query ClientPrompts($names: [String!]!) { clientPrompts(names: $names) {
  name revision latestVersionId labels { name versionId }
  versions { id number type template systemMessage messages variables model temperature maxTokens config tools responseFormat }
  abTests { id label salt allocation variants { key versionId } } } }`;
const PROMPT_REVISIONS = 'query ClientPromptRevisions($names: [String!]!) { promptRevisions(names: $names) { name revision } }';
const BUNDLE_CHUNK = 100;
const REVISION_CHUNK = 500;
/** Distinct versions remembered per prompt and label for falling back. */
const LAST_GOOD_DEPTH = 3;

export type PromptClient = {
  /** Renders `name` behind `label` (default production) locally; the same result as `resolvePrompt`, plus `stale`. */
  resolve(name: string, variables?: Record<string, unknown>, options?: ResolveOptions): Promise<ResolvedPrompt>;
  /** Queues a call for `recordCalls`; returns its callId. Never throws, never waits. */
  track(call: TrackedCall): string;
  /** Sends queued calls now. */
  flush(): Promise<void>;
  stats(): ClientStats;
  /** Stops the subscription and timers, flushes tracked calls (bounded by `closeTimeoutMs`). */
  close(): Promise<void>;
};

export function createPromptClient(options: PromptClientOptions): PromptClient {
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
    onError: () => {},
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
  const held = new Map<string, HeldPrompt>();
  /** The highest revision announced by events, per held prompt: a refetch that returns less goes again. */
  const announced = new Map<string, number>();
  /** Held prompts whose last refetch failed: served, but stale. */
  const refreshFailed = new Set<string>();
  /** name + label → the last few distinct versions served, newest first: what a failing newer version falls back to. */
  const lastGood = new Map<string, Choice[]>();
  const firstFetches = new Map<string, Promise<void>>();
  /** Never-held prompts whose first fetch failed: their fallback is served at once while a background fetch goes on. */
  const unreachable = new Set<string>();
  let connection: ClientStats['connection'] = 'connecting';
  let closed = false;
  let fetches = 0;
  const renderer = createLocalRenderer((name) => held.get(name));
  const snapshot = o.snapshotFile ? createSnapshotWriter(o.snapshotFile, () => [...held.values()].map((h) => h.data), (e) => report(e, 'snapshot')) : null;
  if (o.snapshotFile) for (const p of readSnapshot(o.snapshotFile, (e) => report(e, 'snapshot'))) held.set(p.name, holdPrompt(p, true));

  /** Keeps a fetched copy unless a newer one is already held (answers can cross). */
  function store(prompts: WirePrompt[]): void {
    for (const p of prompts) {
      const current = held.get(p.name);
      if (!current || p.revision >= current.data.revision) held.set(p.name, holdPrompt(p));
      refreshFailed.delete(p.name);
      unreachable.delete(p.name);
    }
    if (prompts.length > 0) void snapshot?.save();
  }

  async function fetchPrompts(names: string[], attempts: number): Promise<void> {
    fetches++;
    const data = await transport.requestWithRetry<{ clientPrompts: WirePrompt[] }>(CLIENT_PROMPTS, { names }, attempts, () => closed);
    store(data.clientPrompts);
  }

  // ---- background refresh: one loop, batching every prompt marked dirty, retrying with backoff ----
  const dirty = new Set<string>();
  let refreshing: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => ((wake = null), resolve()), ms);
      wake = () => (clearTimeout(t), (wake = null), resolve());
    });

  function scheduleRefresh(name: string): void {
    dirty.add(name);
    if (!refreshing) refreshing = refreshLoop().finally(() => (refreshing = null));
  }

  async function refreshLoop(): Promise<void> {
    let failures = 0;
    while (dirty.size > 0 && !closed) {
      const names = [...dirty].slice(0, BUNDLE_CHUNK);
      for (const n of names) dirty.delete(n);
      try {
        await fetchPrompts(names, 1);
        const behind = names.filter((n) => (held.get(n)?.data.revision ?? Infinity) < (announced.get(n) ?? 0));
        if (behind.length === 0) failures = 0;
        else {
          for (const n of behind) dirty.add(n);
          await nap(backoffMs(failures++, o.retryBaseMs, o.retryMaxMs));
        }
      } catch (err) {
        for (const n of names) {
          dirty.add(n);
          if (held.has(n)) refreshFailed.add(n);
        }
        report(err as Error, 'refresh');
        await nap(backoffMs(failures++, o.retryBaseMs, o.retryMaxMs) + o.retryBaseMs);
      }
    }
  }

  /** One request per 500 held prompts: refetch those whose revision moved; a snapshot copy still current is confirmed. */
  async function recheck(): Promise<void> {
    const names = [...held.keys()];
    for (let i = 0; i < names.length && !closed; i += REVISION_CHUNK) {
      try {
        const data = await transport.requestWithRetry<{ promptRevisions: { name: string; revision: number | null }[] }>(
          PROMPT_REVISIONS,
          { names: names.slice(i, i + REVISION_CHUNK) },
          o.fetchAttempts,
          () => closed,
        );
        for (const { name, revision } of data.promptRevisions) {
          const h = held.get(name);
          if (!h || revision === null) continue; // a prompt that vanished keeps being served from its last copy
          if (revision !== h.data.revision) {
            announced.set(name, Math.max(announced.get(name) ?? 0, revision));
            scheduleRefresh(name);
          } else {
            h.fromSnapshot = false;
            refreshFailed.delete(name);
          }
        }
      } catch (err) {
        report(err as Error, 'recheck');
      }
    }
  }

  const live = startLiveUpdates({
    url: o.url,
    apiKey: o.apiKey,
    webSocketImpl: o.webSocketImpl,
    retryBaseMs: o.retryBaseMs,
    retryMaxMs: o.retryMaxMs,
    onEvent(name, revision) {
      const h = held.get(name);
      if (!h) return; // not held: nothing to refresh
      announced.set(name, Math.max(announced.get(name) ?? 0, revision));
      if (revision > h.data.revision) scheduleRefresh(name); // an older or equal revision is ignored; a gap too refetches
    },
    onConnected() {
      connection = 'live';
      wake?.();
      // Events published while we were away are lost: re-check everything held, once now and once the
      // subscription is surely registered on the server (its SUBSCRIBE may still be in flight now).
      void recheck();
      setTimeout(() => void recheck(), 1_000).unref?.();
    },
    onDown() {
      connection = 'down';
    },
    onError: report,
  });
  const recheckTimer = o.recheckIntervalMs > 0 ? setInterval(() => void recheck(), o.recheckIntervalMs) : null;
  recheckTimer?.unref?.();
  if (held.size > 0) void recheck(); // snapshot copies: confirm or refresh them as soon as the server answers

  const calls = createCallQueue({
    transport,
    batchSize: o.batchSize,
    flushIntervalMs: o.flushIntervalMs,
    maxQueued: o.maxQueuedCalls,
    retryBaseMs: o.retryBaseMs,
    retryMaxMs: o.retryMaxMs,
    onError: report,
  });

  /** The first fetch of a prompt, shared by concurrent callers; a fetch error is thrown only when nothing can be served. */
  function firstFetch(name: string): Promise<void> {
    let p = firstFetches.get(name);
    if (!p) {
      p = fetchPrompts([name], o.fetchAttempts).finally(() => firstFetches.delete(name));
      firstFetches.set(name, p);
    }
    return p;
  }

  function withStale(r: Rendered, stale: boolean): ResolvedPrompt {
    (r as ResolvedPrompt).stale = stale;
    return r as ResolvedPrompt;
  }

  /** The version served before for this name and label, when the current one cannot be rendered. */
  function recover(name: string, label: string, variables: unknown, failedVersionId: string | null, error: unknown): ResolvedPrompt | Promise<ResolvedPrompt> {
    const previous = (lastGood.get(`${name}\u0000${label}`) ?? []).filter((c) => c.version.id !== failedVersionId);
    const attempt = (i: number): ResolvedPrompt | Promise<ResolvedPrompt> => {
      const choice = previous[i];
      if (!choice) throw error;
      const note = `served version ${choice.version.number} (the last one that worked): ${(error as Error).message}`;
      const done = (r: Rendered) => withStale({ ...r, warnings: [...r.warnings, note] }, true);
      try {
        const r = renderer.render(name, label, choice, variables);
        return r instanceof Promise ? r.then(done, () => attempt(i + 1)) : done(r);
      } catch {
        return attempt(i + 1);
      }
    };
    return attempt(0);
  }

  function remember(key: string, choice: Choice): void {
    const list = lastGood.get(key);
    if (list?.some((c) => c.version === choice.version)) return; // the hot path (A/B variants alternate): nothing new
    const rest = (list ?? []).filter((c) => c.version.id !== choice.version.id);
    lastGood.set(key, [choice, ...rest].slice(0, LAST_GOOD_DEPTH));
  }

  function serve(h: HeldPrompt, name: string, label: string, variables: unknown, requestId: string | undefined): ResolvedPrompt | Promise<ResolvedPrompt> {
    const stale = h.fromSnapshot || connection === 'down' || refreshFailed.has(name);
    let choice: Choice | null = null;
    const done = (r: Rendered) => {
      remember(`${name}\u0000${label}`, choice!);
      return withStale(r, stale);
    };
    try {
      choice = renderer.choose(h, label, requestId);
      const r = renderer.render(name, label, choice, variables);
      return r instanceof Promise ? r.then(done, (err) => recover(name, label, variables, choice!.version.id, err)) : done(r);
    } catch (err) {
      return recover(name, label, variables, choice?.version.id ?? null, err);
    }
  }

  function serveFallback(name: string, label: string, variables: unknown, why: string): Promise<ResolvedPrompt> | null {
    const fallback = o.fallbacks?.[name];
    if (fallback === undefined) return null;
    const version = fallbackVersion(name, fallback);
    return Promise.resolve(renderer.render(name, label, { version, abTestId: null, variant: null }, variables)).then((r) =>
      withStale({ ...r, warnings: [...r.warnings, `served the caller's fallback for "${name}": ${why}`] }, true),
    );
  }

  async function resolve(name: string, variables: Record<string, unknown> = {}, opts: ResolveOptions = {}): Promise<ResolvedPrompt> {
    const label = opts.label ?? 'production';
    const h = held.get(name);
    if (h) return serve(h, name, label, variables, opts.requestId);
    if (closed) throw new UnavailableError('The prompt client is closed.');
    if (unreachable.has(name)) {
      const served = serveFallback(name, label, variables, 'the prompt server is unreachable');
      if (served) return served;
    }
    try {
      await firstFetch(name);
    } catch (err) {
      if (!(err instanceof DomainError) || isRetriable(err)) {
        unreachable.add(name);
        scheduleRefresh(name);
      }
      const served = serveFallback(name, label, variables, (err as Error).message);
      if (served) return served;
      throw err;
    }
    const fetched = held.get(name);
    if (fetched) return serve(fetched, name, label, variables, opts.requestId);
    const served = serveFallback(name, label, variables, 'no such prompt on the server');
    if (served) return served;
    throw new NotFoundError(`No prompt named "${name.slice(0, 128)}".`);
  }

  return {
    resolve,
    track: (call) => calls.track(call),
    flush: () => calls.flush(),
    stats: () => ({ heldPrompts: held.size, fetches, connection, ...calls.stats() }),
    async close() {
      if (closed) return;
      closed = true;
      if (recheckTimer) clearInterval(recheckTimer);
      wake?.();
      await Promise.allSettled([live.dispose(), calls.drain(o.closeTimeoutMs)]);
      await refreshing?.catch(() => {});
      await snapshot?.idle();
    },
  };
}
