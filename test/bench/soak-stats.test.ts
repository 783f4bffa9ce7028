/** The pure parts of bench:soak: the least-squares slope, minute rows, the flatness verdict, and fixed-rate spreading. */
import { perTick, startFixedRate } from '../../bench/fixed-rate';
import { minuteRows, slope, verdict, type MemorySample, type MinuteCounts } from '../../bench/soak-stats';

const counts = (n: number, skippedTicks = 0): MinuteCounts[] =>
  Array.from({ length: n }, () => ({ ok: 100, errors: 0, events: 10, skippedTicks, ticks: 1000 }));
/** Samples every 5 s for `minutes`, heap from `heap(at)` plus a GC-like sawtooth of ±4 MB. */
const samples = (minutes: number, heap: (at: number) => number): MemorySample[] =>
  Array.from({ length: minutes * 12 }, (_, i) => {
    const at = (i + 1) / 12;
    return { at, heapMb: heap(at) + (i % 4) * 2.7 - 4, heapAfterGcMb: null, rssMb: 150 + heap(at) - 50, loopP99Ms: 5 };
  });
const healthy = { errors: 0, missedEvents: 0 };

test('slope is the least-squares fit', () => {
  expect(slope([])).toBe(0);
  expect(slope([{ x: 1, y: 3 }])).toBe(0);
  expect(slope([0, 1, 2, 3].map((x) => ({ x, y: 2 * x + 7 })))).toBeCloseTo(2, 10);
  expect(
    slope([
      { x: 0, y: 0 },
      { x: 1, y: 1 },
      { x: 2, y: 0 },
      { x: 3, y: 1 },
    ]),
  ).toBeCloseTo(0.2, 10);
});

test('minute rows: mean memory of the samples in (m-1, m], worst event-loop window', () => {
  const s: MemorySample[] = [
    { at: 0.5, rssMb: 100, heapMb: 40, heapAfterGcMb: null, loopP99Ms: 3 },
    { at: 1, rssMb: 110, heapMb: 50, heapAfterGcMb: 30, loopP99Ms: 9 },
    { at: 1.5, rssMb: 120, heapMb: 60, heapAfterGcMb: null, loopP99Ms: 4 },
  ];
  const rows = minuteRows(s, counts(2));
  expect(rows.map((r) => [r.minute, r.rssMb, r.heapMb, r.heapAfterGcMb, r.loopP99Ms, r.samples])).toEqual([
    [1, 105, 45, 30, 9, 2],
    [2, 120, 60, NaN, 4, 1],
  ]);
});

test('flat memory passes; a steady leak or a late step fails; warm-up growth is ignored', () => {
  const flat = samples(10, (at) => (at < 2 ? 30 + 10 * at : 50));
  expect(verdict(flat, minuteRows(flat, counts(10)), 2, healthy)).toMatchObject({ judged: true, failures: [] });

  const leak = samples(10, (at) => 50 + 1.5 * at);
  const v = verdict(leak, minuteRows(leak, counts(10)), 2, healthy);
  expect(v.heapSlope).toBeCloseTo(1.5, 0);
  expect(v.failures.some((f) => f.startsWith('heap (used) grows'))).toBe(true);

  const step = samples(10, (at) => (at > 9 ? 70 : 50));
  expect(verdict(step, minuteRows(step, counts(10)), 2, healthy).failures.some((f) => f.startsWith("last minute's heap"))).toBe(true);
});

test('the heap after major GC is judged when every sample after warm-up has it: a sawtooth of garbage is not a leak', () => {
  // Heap used climbs 10 MB/min between collections every 3 minutes; what survives them stays at 40 MB.
  const saw = samples(10, (at) => 40 + 10 * (at % 3)).map((s) => ({ ...s, rssMb: 150, heapAfterGcMb: 40 + (s.at > 1 ? 0 : 5) }));
  const judgedOnGc = verdict(saw, minuteRows(saw, counts(10)), 2, healthy);
  expect(judgedOnGc).toMatchObject({ heapSeries: 'after major GC', failures: [] });
  // Without the after-GC figure the same run is judged on heap used (and its last minute sits high on the sawtooth).
  const usedOnly = saw.map((s) => ({ ...s, heapAfterGcMb: null }));
  expect(verdict(usedOnly, minuteRows(usedOnly, counts(10)), 2, healthy).heapSeries).toBe('used');
  const leak = saw.map((s) => ({ ...s, heapAfterGcMb: 40 + 2 * s.at }));
  expect(verdict(leak, minuteRows(leak, counts(10)), 2, healthy).failures.some((f) => f.startsWith('heap (after major GC) grows'))).toBe(true);
});

test('short runs are not judged on memory; errors, missed events and a rate not held after warm-up always fail', () => {
  const leak = samples(2, (at) => 50 + 20 * at);
  const short = verdict(leak, minuteRows(leak, counts(2)), 1, healthy);
  expect(short).toMatchObject({ judged: false, failures: [] });
  const bad = verdict(leak, minuteRows(leak, counts(2, 20)), 1, { errors: 1, missedEvents: 2 });
  expect(bad.failures).toEqual([
    '1 errors',
    '2 label moves not received by a subscriber',
    '20 of 1000 ticks after warm-up skipped (> 1 %): the rate was not held',
  ]);
  // Ticks skipped during warm-up only do not fail the run.
  const warmupOnly = counts(2);
  warmupOnly[0] = { ...warmupOnly[0]!, skippedTicks: 500 };
  expect(verdict(leak, minuteRows(leak, warmupOnly), 1, healthy).failures).toEqual([]);
});

test('perTick spreads a fractional rate exactly, also over caught-up ticks', () => {
  const next = perTick(50, 50); // 2.5 per tick
  const per = Array.from({ length: 4 }, () => next(1));
  expect(per).toEqual([2, 3, 2, 3]);
  expect(next(4)).toBe(10);
});

test('a stalled ticker serves at most maxCatchUp owed ticks and counts the rest as skipped', async () => {
  const served: number[] = [];
  const skippedSeen: number[] = [];
  const t = startFixedRate(10, (n) => served.push(n), { maxCatchUp: 3, onSkipped: (n) => skippedSeen.push(n) });
  await new Promise((r) => setTimeout(r, 15)); // the first tick runs
  const until = Date.now() + 200;
  while (Date.now() < until); // stall the loop for ~20 periods
  await new Promise((r) => setTimeout(r, 5));
  t.stop();
  expect(Math.max(...served)).toBe(3); // the wake-up after the stall caught up 3, no more
  expect(t.skipped()).toBeGreaterThanOrEqual(10);
  expect(skippedSeen.reduce((a, b) => a + b, 0)).toBe(t.skipped());
  expect(served.reduce((a, b) => a + b, 0) + t.skipped()).toBe(t.ticks());
});
