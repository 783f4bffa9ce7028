/** The A/B decision in plain words (dashboard/src/lib/ab-wording.ts, pure): each decision, each metric's units and direction. */
import {
  decisionWords,
  formatDifference,
  formatMetric,
  pText,
  srmWarning,
  winnerKey,
  type TestView,
  type VariantResult,
} from '../../dashboard/src/lib/ab-wording';

const metrics = (calls: number, extra: Partial<VariantResult['metrics']> = {}) => ({ totalCalls: calls, feedbackCount: 0, ...extra });

function view(over: Partial<TestView> & { variants: VariantResult[]; decision: TestView['results']['decision']; srmPValue?: number | null }): TestView {
  const { variants, decision, srmPValue, ...rest } = over;
  return {
    status: 'RUNNING',
    metric: 'SUCCESS_RATE',
    minSampleSize: 1000,
    autoPromote: false,
    label: 'production',
    results: { decision, srmPValue: srmPValue ?? 0.5, variants },
    ...rest,
  };
}

const control = (calls: number, m: Partial<VariantResult['metrics']> = {}): VariantResult => ({
  key: 'A',
  weight: 50,
  isControl: true,
  version: { number: 2 },
  metrics: metrics(calls, m),
});
const challenger = (
  calls: number,
  d: number | null,
  ci: [number, number] | null,
  m: Partial<VariantResult['metrics']> = {},
  key = 'B',
  number = 3,
): VariantResult => ({
  key,
  weight: 50,
  isControl: false,
  version: { number },
  metrics: metrics(calls, m),
  difference: d,
  confidenceInterval: ci,
  pValue: 0.01,
  alwaysValidPValue: 0.02,
});

test('not enough data names the least-served variant against the minimum sample', () => {
  const w = decisionWords(view({ decision: 'KEEP_RUNNING', variants: [control(130), challenger(120, 0.01, [-0.02, 0.04])] }));
  expect(w.headline).toBe('Not enough data yet: 120 of 1,000 calls');
  expect(w.detail).toContain('Treatment v3 has the fewest');
});

test('quality score counts scored calls toward the minimum, not calls', () => {
  const w = decisionWords(
    view({
      metric: 'QUALITY_SCORE',
      decision: 'KEEP_RUNNING',
      variants: [control(5000, { feedbackCount: 40 }), challenger(5000, null, null, { feedbackCount: 900 })],
    }),
  );
  expect(w.headline).toBe('Not enough data yet: 40 of 1,000 scored calls');
});

test('a winning treatment: the effect with its interval, and "Safe to promote" while running', () => {
  const t = view({ decision: 'WINNER', variants: [control(1200), challenger(1200, 0.041, [0.012, 0.07])] });
  expect(decisionWords(t).headline).toBe('Treatment v3 is better: +4.1 pts success rate (95% CI +1.2 pts to +7.0 pts). Safe to promote.');
  expect(winnerKey(t)).toBe('B');
  const concluded = decisionWords({ ...t, status: 'CONCLUDED', autoPromote: true, winner: { key: 'B', version: { number: 3 } } });
  expect(concluded.headline).toMatch(/Promoted to production automatically\.$/);
});

test('latency: lower is better, so a negative difference wins and the control wins against a slower challenger', () => {
  const faster = view({ metric: 'LATENCY', decision: 'WINNER', variants: [control(1000), challenger(1000, -120, [-160, -80])] });
  expect(decisionWords(faster).headline).toBe('Treatment v3 is better: −120 ms latency (95% CI −160 ms to −80 ms). Safe to promote.');
  const slower = view({ metric: 'LATENCY', decision: 'WINNER', variants: [control(1000), challenger(1000, 90, [40, 140])] });
  expect(winnerKey(slower)).toBe('A');
  expect(decisionWords(slower).headline).toContain('Control v2 is better: every challenger does worse');
});

test('keep running past the minimum shows the best challenger and the p-value a winner needs (Bonferroni over challengers)', () => {
  const w = decisionWords(
    view({
      decision: 'KEEP_RUNNING',
      variants: [control(1500), challenger(1500, 0.01, [-0.01, 0.03]), challenger(1500, 0.02, [-0.005, 0.045], {}, 'C', 4)],
    }),
  );
  expect(w.headline).toBe('No clear winner yet: keep the test running.');
  expect(w.detail).toBe('Variant C v4 so far: +2.0 pts success rate (95% CI −0.5 pts to +4.5 pts); always-valid p = 0.020 (a winner needs p below 0.025).');
});

test('no difference and a sample-ratio mismatch read as what to do', () => {
  expect(decisionWords(view({ decision: 'NO_DIFFERENCE', variants: [control(10000), challenger(10000, 0, [-0.01, 0.01])] })).headline).toBe(
    'No meaningful difference: nothing beats Control v2.',
  );
  const srm = view({ decision: 'SAMPLE_RATIO_MISMATCH', srmPValue: 1e-9, variants: [control(300), challenger(100, 0.05, [0, 0.1])] });
  expect(decisionWords(srm).tone).toBe('danger');
  expect(srmWarning(srm)).toMatch(/^Expected A 50% \/ B 50%, got A 75% \/ B 25% of 400 calls \(p < 0\.0001\)\./);
  expect(srmWarning(view({ decision: 'KEEP_RUNNING', srmPValue: 0.4, variants: [control(10), challenger(10, 0, [0, 0])] }))).toBeNull();
});

test('stopped tests say whether anything was promoted', () => {
  const base = view({ status: 'STOPPED', decision: 'KEEP_RUNNING', variants: [control(10), challenger(10, 0, null)] });
  expect(decisionWords(base).headline).toBe('Stopped by hand: no variant was promoted; production kept its version.');
  expect(decisionWords({ ...base, winner: { key: 'B', version: { number: 3 } } }).headline).toBe('Stopped by hand: Treatment v3 was promoted to production.');
});

test('values in their units', () => {
  expect(formatMetric('SUCCESS_RATE', 0.9512)).toBe('95.1%');
  expect(formatMetric('COST', 0.0021)).toBe('$0.00210');
  expect(formatMetric('LATENCY', 812.4)).toBe('812 ms');
  expect(formatMetric('QUALITY_SCORE', null)).toBe('—');
  expect(formatDifference('COST', -0.0004)).toBe('−$0.00040');
  expect(pText(0.0213)).toBe('p = 0.021');
  expect(pText(0.00001)).toBe('p < 0.0001');
});
