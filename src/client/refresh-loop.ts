/**
 * Keeping held copies current: one background loop batches every prompt marked dirty and refetches
 * it, retrying with backoff until the copy reaches the announced revision; `recheck` asks the server
 * for the revisions of everything held (after a reconnect, and periodically as a safety net).
 */
import type { HeldCopies } from './held-copies';
import { backoffMs } from './transport';

const BUNDLE_CHUNK = 100;
const REVISION_CHUNK = 500;

export type RefreshLoop = ReturnType<typeof createRefreshLoop>;

export function createRefreshLoop(deps: {
  copies: HeldCopies;
  /** Fetches and stores `names` (attempts: 1 in the loop, which does its own retries). */
  fetchPrompts(names: string[], attempts: number): Promise<void>;
  /** Current revisions of `names` (null: the prompt is gone). */
  revisions(names: string[]): Promise<{ name: string; revision: number | null }[]>;
  retryBaseMs: number;
  retryMaxMs: number;
  isClosed(): boolean;
  report(error: Error, context: string): void;
}) {
  const { copies } = deps;
  const dirty = new Set<string>();
  let refreshing: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => ((wake = null), resolve()), ms);
      wake = () => (clearTimeout(t), (wake = null), resolve());
    });

  function schedule(name: string): void {
    dirty.add(name);
    if (!refreshing) refreshing = loop().finally(() => (refreshing = null));
  }

  async function loop(): Promise<void> {
    let failures = 0;
    while (dirty.size > 0 && !deps.isClosed()) {
      const names = [...dirty].slice(0, BUNDLE_CHUNK);
      for (const n of names) dirty.delete(n);
      try {
        await deps.fetchPrompts(names, 1);
        const behind = names.filter(copies.isBehind);
        if (behind.length === 0) failures = 0;
        else {
          for (const n of behind) dirty.add(n);
          await nap(backoffMs(failures++, deps.retryBaseMs, deps.retryMaxMs));
        }
      } catch (err) {
        for (const n of names) {
          dirty.add(n);
          if (copies.held.has(n)) copies.refreshFailed.add(n);
        }
        deps.report(err as Error, 'refresh');
        await nap(backoffMs(failures++, deps.retryBaseMs, deps.retryMaxMs) + deps.retryBaseMs);
      }
    }
  }

  /** One request per 500 held prompts: refetch those whose revision moved; a snapshot copy still current is confirmed. */
  async function recheck(): Promise<void> {
    const names = [...copies.held.keys()];
    for (let i = 0; i < names.length && !deps.isClosed(); i += REVISION_CHUNK) {
      try {
        for (const { name, revision } of await deps.revisions(names.slice(i, i + REVISION_CHUNK))) {
          const h = copies.held.get(name);
          if (!h || revision === null) continue; // a prompt that vanished keeps being served from its last copy
          if (revision !== h.data.revision) {
            copies.announce(name, revision);
            schedule(name);
          } else {
            h.fromSnapshot = false;
            copies.refreshFailed.delete(name);
          }
        }
      } catch (err) {
        deps.report(err as Error, 'recheck');
      }
    }
  }

  return {
    schedule,
    recheck,
    /** Ends a backoff nap at once (reconnected, or closing). */
    wake: () => wake?.(),
    /** Resolves once the loop has stopped. */
    idle: async () => void (await refreshing?.catch(() => {})),
  };
}
