/**
 * Whether the pool thinks the database is up: the state the bounded client's circuit breaker reads
 * (fail fast while down), the failure monitor logs, and readiness answers. A connection failure marks
 * it down; from then on one probe at a time pings until the database answers, which closes it again.
 */

/** A ping's outcome: reached, unreachable (a connection failure), or no answer in time (busy, not down). */
export type PingOutcome = boolean | 'timeout';

export type DbHealth = {
  up(): boolean;
  /** A connection failure was seen: fail fast and probe until the database answers. */
  markDown(): void;
  /**
   * A statement failed with a connection error: probe at once and open the breaker only if the probe fails too. One
   * connection the server closed while idle (found after a restart, seconds later) fails its own statement, not
   * everyone's for a probe interval.
   */
  suspect(): void;
  /** An operation succeeded (the database answered): a readiness ping that times out just after is load, not an outage. */
  noteSuccess(): void;
  /** Readiness: while down, the probe's verdict (no extra ping); while up, a ping with a deadline. */
  check(timeoutMs?: number): Promise<boolean>;
  stop(): void;
};

/** How recent a success must be for a ping that timed out under load to still count as ready. */
const RECENT_SUCCESS_MS = 1_000;

export function createDbHealth(deps: { ping: (timeoutMs?: number) => Promise<PingOutcome>; probeMs?: number; probeTimeoutMs?: number }): DbHealth {
  let up = true;
  let probe: NodeJS.Timeout | null = null;
  let probing = false;
  let lastSuccess = 0;

  function markUp(): void {
    up = true;
    if (probe) clearInterval(probe);
    probe = null;
  }
  function markDown(): void {
    const wasUp = up;
    up = false;
    // A single killed backend also lands here: probing at once keeps the breaker open only as long as the database is really away.
    if (wasUp) void runProbe();
    // Probe until it answers: the state must not stay "down" because no request is let through to find out.
    probe ??= setInterval(() => void runProbe(), deps.probeMs ?? 250);
    probe.unref();
  }
  async function runProbe(): Promise<void> {
    if (probing) return; // one probe at a time: never a pile of pings queued in the driver
    probing = true;
    try {
      const outcome = await deps.ping(deps.probeTimeoutMs ?? 1_000);
      if (outcome === true) markUp();
      else if (outcome === false && up) markDown();
    } finally {
      probing = false;
    }
  }

  return {
    up: () => up,
    markDown,
    suspect: () => void (up && runProbe()),
    noteSuccess: () => void (lastSuccess = Date.now()),
    async check(timeoutMs) {
      if (!up) return false;
      const outcome = await deps.ping(timeoutMs);
      if (outcome === false) markDown();
      // A ping that missed its deadline queued behind load: busy, not down, if the pool answered a moment ago. A
      // connection failure is never excused by a recent success (readiness must turn 503 as soon as Postgres is gone).
      return outcome === true || (outcome === 'timeout' && Date.now() - lastSuccess < RECENT_SUCCESS_MS);
    },
    stop() {
      if (probe) clearInterval(probe);
      probe = null;
    },
  };
}
