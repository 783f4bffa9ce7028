/**
 * A fixed-rate ticker for load that must not turn into max throughput: ticks are due at
 * start + n × period. A wake-up a little late (scheduler jitter on a busy machine) serves the ticks it
 * owes, up to `maxCatchUp` of them; beyond that the rest are counted as skipped and dropped, so a
 * slow machine sheds load instead of bursting a backlog. Work per tick is the caller's (with its own
 * in-flight cap).
 */
import { performance } from 'node:perf_hooks';

export type FixedRate = { stop(): void; ticks(): number; skipped(): number };

/** `tick(n)` serves n due ticks at once (n ≥ 1); `onSkipped(n)` is told of ticks dropped. */
export function startFixedRate(
  periodMs: number,
  tick: (n: number) => void,
  options: { maxCatchUp: number; onSkipped?: (n: number) => void } = { maxCatchUp: 1 },
): FixedRate {
  const start = performance.now();
  let done = 0;
  let skipped = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(wake, Math.max(0, start + (done + 1) * periodMs - performance.now()));
  };
  const wake = () => {
    const owed = Math.max(1, Math.floor((performance.now() - start) / periodMs) - done);
    const served = Math.min(owed, options.maxCatchUp);
    if (owed > served) {
      skipped += owed - served;
      options.onSkipped?.(owed - served);
    }
    done += owed;
    tick(served);
    schedule();
  };
  schedule();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
    ticks: () => done,
    skipped: () => skipped,
  };
}

/** Spreads a rate (per second) over ticks of `periodMs`, carrying fractions so 2.5 per tick alternates 2 and 3. */
export function perTick(ratePerSecond: number, periodMs: number): (ticks: number) => number {
  const exact = (ratePerSecond * periodMs) / 1000;
  let carry = 0;
  return (ticks) => {
    carry += exact * ticks;
    const n = Math.floor(carry);
    carry -= n;
    return n;
  };
}
