/**
 * The metrics pages' pure logic: UTC day and ISO-week grids, series per version with gaps or zeros,
 * change markers (a label move always, a model change only where the chosen label's model differs),
 * the spenders' ranking, and the layout of marker texts (never overlapping, inside the plot).
 */
import fc from 'fast-check';
import { byWeek, rankSpenders, spendSeries, OTHERS_KEY } from '../../dashboard/src/lib/cost-ranking';
import { layoutLabels, LABEL_GAP } from '../../dashboard/src/lib/marker-layout';
import { DAY_MS, MEASURES, changeMarkers, dayGrid, utcWeek, versionSeries, weekGrid, withGaps } from '../../dashboard/src/lib/metrics-series';

const NOW = Date.parse('2026-12-03T15:20:00Z'); // a Thursday

test('day grid: the last N UTC days, today last; weeks start on Monday', () => {
  expect(dayGrid(3, NOW).map((d) => new Date(d).toISOString())).toEqual(['2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z', '2026-12-03T00:00:00.000Z']);
  expect(new Date(utcWeek(NOW)).toISOString()).toBe('2026-11-30T00:00:00.000Z');
  expect(new Date(utcWeek(Date.parse('2026-11-30T00:00:00Z'))).toISOString()).toBe('2026-11-30T00:00:00.000Z');
  expect(new Date(utcWeek(Date.parse('2026-11-29T23:59:59Z'))).toISOString()).toBe('2026-11-23T00:00:00.000Z');
  expect(weekGrid(dayGrid(7, NOW)[0]!, NOW).map((d) => new Date(d).toISOString())).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z']);
});

test('series per version: counts are 0 on a day without calls (null with gaps), rates null', () => {
  const days = dayGrid(3, NOW);
  const row = (versionId: string, versionNumber: number, day: number, calls: number) => ({
    versionId,
    versionNumber,
    bucketStart: new Date(days[day]!).toISOString(),
    totalCalls: calls,
    successRate: 0.5,
    inputTokens: 10,
    outputTokens: 5,
    totalCost: calls * 2,
  });
  const rows = [row('b', 2, 2, 3), row('a', 1, 0, 4), row('a', 1, 1, 1)];
  const calls = versionSeries(rows, days, MEASURES.calls);
  expect(calls.map((s) => [s.label, s.values])).toEqual([
    ['v1', [4, 1, 0]],
    ['v2', [0, 0, 3]],
  ]);
  expect(versionSeries(rows, days, withGaps(MEASURES.calls))[1]!.values).toEqual([null, null, 3]);
  expect(versionSeries(rows, days, MEASURES.successRate)[1]!.values).toEqual([null, null, 0.5]);
  expect(versionSeries(rows, days, MEASURES.tokens)[0]!.values).toEqual([15, 15, 0]);
});

test('markers: every label move in range; a model change only on the chosen label and only when the model differs', () => {
  const models = new Map([
    ['v1', 'gpt-4o'],
    ['v2', 'gpt-4o'],
    ['v3', 'gpt-4o-mini'],
  ]);
  const ref = (n: number) => ({ id: `v${n}`, number: n });
  const moves = [
    { label: 'production', at: '2026-12-02T12:00:00Z', fromVersion: ref(2), toVersion: ref(3) },
    { label: 'staging', at: '2026-12-01T09:00:00Z', fromVersion: ref(1), toVersion: ref(3) },
    { label: 'production', at: '2026-11-30T12:00:00Z', fromVersion: ref(1), toVersion: ref(2) },
    { label: 'production', at: '2026-11-01T12:00:00Z', fromVersion: null, toVersion: ref(1) },
  ];
  const from = dayGrid(7, NOW)[0]!;
  expect(changeMarkers(moves, models, 'production', from, from + 7 * DAY_MS).map((m) => [m.kind, m.text])).toEqual([
    ['label', 'production → v2'],
    ['label', 'staging → v3'],
    ['label', 'production → v3'],
    ['model', 'model gpt-4o → gpt-4o-mini'],
  ]);
  expect(
    changeMarkers(moves, models, 'staging', from, from + 7 * DAY_MS)
      .filter((m) => m.kind === 'model')
      .map((m) => m.at),
  ).toEqual([Date.parse('2026-12-01T09:00:00Z')]);
});

test('spenders: ranked by total (ties by name), first and latest day; the rest summed as "all others"', () => {
  const days = dayGrid(3, NOW);
  const r = (promptName: string, day: number, totalCost: number) => ({ promptName, bucketStart: new Date(days[day]!).toISOString(), totalCalls: 1, totalCost });
  const rows = [r('summarizer', 0, 8), r('summarizer', 2, 2), r('b', 1, 5), r('a', 1, 5), r('tiny', 2, 0.5)];
  const ranked = rankSpenders(rows);
  expect(ranked.map((s) => [s.name, s.total])).toEqual([
    ['summarizer', 10],
    ['a', 5],
    ['b', 5],
    ['tiny', 0.5],
  ]);
  expect(ranked[0]).toMatchObject({ first: { day: days[0], cost: 8 }, latest: { day: days[2], cost: 2 } });
  const series = spendSeries(rows, days, ['summarizer', 'a']);
  expect(series.map((s) => [s.key, s.values])).toEqual([
    ['summarizer', [8, 0, 2]],
    ['a', [0, 5, 0]],
    [OTHERS_KEY, [0, 5, 0.5]],
  ]);
});

test('weekly spend is the sum of the days of each ISO week (Monday, UTC)', () => {
  const days = dayGrid(10, NOW); // Tue 24 Nov .. Thu 3 Dec 2026
  const rows = days.map((d, i) => ({ promptName: 'p', bucketStart: new Date(d).toISOString(), totalCalls: 1, totalCost: i + 1 }));
  const weeks = weekGrid(days[0]!, NOW);
  expect(weeks.map((w) => new Date(w).toISOString().slice(0, 10))).toEqual(['2026-11-23', '2026-11-30']);
  // Tue..Sun of the first week are days 1..6, Mon..Thu of the second days 7..10.
  expect(spendSeries(byWeek(rows), weeks, ['p']).map((s) => s.values)).toEqual([[1 + 2 + 3 + 4 + 5 + 6, 7 + 8 + 9 + 10]]);
});

test('marker texts never overlap in a row and stay inside the plot', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 120, max: 1200 }),
      fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 20, max: 110 })), { maxLength: 12 }),
      (width, raw) => {
        const labels = raw.map(([x, w]) => ({ x: x * width, width: w })).sort((a, b) => a.x - b.x);
        const placed = layoutLabels(labels, width);
        placed.forEach((p, i) => {
          expect(p.start).toBeGreaterThanOrEqual(0);
          expect(p.start + labels[i]!.width).toBeLessThanOrEqual(width + 1e-9);
          for (let j = 0; j < i; j++)
            if (placed[j]!.row === p.row)
              expect(placed[j]!.start + labels[j]!.width + LABEL_GAP <= p.start || p.start + labels[i]!.width + LABEL_GAP <= placed[j]!.start).toBe(true);
        });
      },
    ),
  );
});
