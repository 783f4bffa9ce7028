/**
 * The prompts a client holds and the rules for serving them: the newest copy wins, a copy is stale
 * while it cannot be refreshed, a version that fails to render falls back to the last ones that
 * worked for that name and label, and a never-held prompt may be served from the caller's fallback.
 */
import { createLocalRenderer, fallbackVersion, holdPrompt, type Choice, type HeldPrompt, type Rendered } from './local-render';
import type { FallbackPrompt, ResolvedPrompt, WirePrompt } from './types';

/** Distinct versions remembered per prompt and label for falling back. */
const LAST_GOOD_DEPTH = 3;

export type HeldCopies = ReturnType<typeof createHeldCopies>;

export function createHeldCopies(o: { fallbacks?: Record<string, FallbackPrompt>; onStored?: () => void }) {
  const held = new Map<string, HeldPrompt>();
  /** The highest revision announced by events, per held prompt: a refetch that returns less goes again. */
  const announced = new Map<string, number>();
  /** Held prompts whose last refetch failed: served, but stale. */
  const refreshFailed = new Set<string>();
  /** name + label → the last few distinct versions served, newest first: what a failing newer version falls back to. */
  const lastGood = new Map<string, Choice[]>();
  /** Never-held prompts whose first fetch failed: their fallback is served at once while a background fetch goes on. */
  const unreachable = new Set<string>();
  const renderer = createLocalRenderer((name) => held.get(name));
  /** Fallbacks as held copies, so that a fallback including another prompt finds it (held first, else its fallback). */
  const fallbackCopies = new Map<string, HeldPrompt>();
  const fallbackCopy = (name: string): HeldPrompt | undefined => {
    const fallback = o.fallbacks?.[name];
    if (fallback === undefined) return undefined;
    let h = fallbackCopies.get(name);
    if (!h) {
      const version = fallbackVersion(name, fallback);
      h = holdPrompt(
        { name, revision: 0, labels: [{ name: 'production', versionId: version.id }], latestVersionId: version.id, versions: [version], abTests: [] },
        true,
      );
      fallbackCopies.set(name, h);
    }
    return h;
  };
  const fallbackRenderer = createLocalRenderer((name) => held.get(name) ?? fallbackCopy(name));

  /** Keeps a fetched copy unless a newer one is already held (answers can cross). */
  function store(prompts: WirePrompt[]): void {
    for (const p of prompts) {
      const current = held.get(p.name);
      if (!current || p.revision >= current.data.revision) held.set(p.name, holdPrompt(p));
      refreshFailed.delete(p.name);
      unreachable.delete(p.name);
    }
    if (prompts.length > 0) o.onStored?.();
  }

  /** Records an announced revision; true when it is newer than the held copy (a refetch is due). */
  function announce(name: string, revision: number): boolean {
    const h = held.get(name);
    if (!h) return false;
    announced.set(name, Math.max(announced.get(name) ?? 0, revision));
    return revision > h.data.revision;
  }

  /** The held copy is behind what events or re-checks announced. */
  const isBehind = (name: string) => (held.get(name)?.data.revision ?? Infinity) < (announced.get(name) ?? 0);

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

  /** Renders a held prompt; `down` (no live connection) marks the answer stale. */
  function serve(
    h: HeldPrompt,
    name: string,
    label: string,
    variables: unknown,
    requestId: string | undefined,
    down: boolean,
  ): ResolvedPrompt | Promise<ResolvedPrompt> {
    const stale = h.fromSnapshot || down || refreshFailed.has(name);
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

  /** The caller's fallback for a never-held prompt (always stale), or null when there is none. */
  function serveFallback(name: string, label: string, variables: unknown, why: string): Promise<ResolvedPrompt> | null {
    const copy = fallbackCopy(name);
    if (!copy) return null;
    const fallback = o.fallbacks![name]!;
    const from = typeof fallback === 'object' && fallback.source ? fallback.source : "the caller's fallback";
    const version = copy.versions.values().next().value!;
    return Promise.resolve(fallbackRenderer.render(name, label, { version, abTestId: null, variant: null }, variables)).then((r) =>
      withStale({ ...r, warnings: [...r.warnings, `served ${from} for "${name}": ${why}`] }, true),
    );
  }

  return { held, refreshFailed, unreachable, store, announce, isBehind, serve, serveFallback };
}
