/**
 * What an attempt's outcome means (pure): success, retry later (when), give up, or disable the
 * endpoint. Follows Standard Webhooks: 2xx succeeds; 410 disables; 3xx (never followed), other
 * statuses, timeouts and connection errors retry on the schedule with jitter; Retry-After (on 429,
 * 503, …) postpones the next attempt, by at most a day.
 */

/** A receiver asking for a longer pause than this gets this. */
export const MAX_RETRY_AFTER_MS = 86_400_000;

export type AttemptOutcome = { kind: 'status'; status: number; retryAfter?: string | null } | { kind: 'error'; error: string };

export type Decision = { action: 'succeeded' } | { action: 'retry'; delayMs: number } | { action: 'failed'; disableEndpoint: string | null };

/** Retry-After as seconds or an HTTP date → ms from now (null when absent or unreadable). */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** ±20% jitter, so retries of many deliveries failing at once spread out. */
export function withJitter(ms: number, random = Math.random): number {
  return Math.round(ms * (0.8 + 0.4 * random()));
}

/**
 * `runAttempts` counts attempts of this run including the one just made; the schedule lists the
 * delays before attempts 2, 3, …; after the last one there is no retry.
 */
export function decide(outcome: AttemptOutcome, runAttempts: number, scheduleMs: readonly number[], random = Math.random): Decision {
  if (outcome.kind === 'status' && outcome.status >= 200 && outcome.status < 300) return { action: 'succeeded' };
  if (outcome.kind === 'status' && outcome.status === 410) return { action: 'failed', disableEndpoint: 'The endpoint answered 410 Gone.' };
  const base = scheduleMs[runAttempts - 1];
  if (base === undefined) return { action: 'failed', disableEndpoint: null };
  let delayMs = withJitter(base, random);
  if (outcome.kind === 'status') {
    const asked = retryAfterMs(outcome.retryAfter);
    if (asked !== null) delayMs = Math.max(delayMs, Math.min(asked, MAX_RETRY_AFTER_MS));
  }
  return { action: 'retry', delayMs };
}
