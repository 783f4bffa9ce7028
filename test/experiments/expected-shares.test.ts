/** The SRM expectation after ramps (expected-shares.ts) and which test covers a recorded call (coveringVariant). Pure. */
import type { ABTestRow } from '../../src/db/schema';
import { coveringVariant } from '../../src/experiments/ab-runtime';
import { expectedShares } from '../../src/experiments/expected-shares';
import { assignVariant, initialAllocation } from '../../src/experiments/pure';

const H = 3_600_000;
const t0 = Date.UTC(2025, 0, 1, 10);

describe('expectedShares', () => {
  test('without a ramp: the weights', () => {
    expect(expectedShares([{ at: new Date(t0).toISOString(), weights: [30, 70] }], null, [{ hour: t0, calls: 500 }], 2)).toEqual([30, 70]);
  });

  test('each hour splits by the weights then; the ramp hour by the time-weighted average', () => {
    const history = [
      { at: new Date(t0).toISOString(), weights: [50, 50] },
      { at: new Date(t0 + 1.5 * H).toISOString(), weights: [20, 80] },
    ];
    const shares = expectedShares(
      history,
      null,
      [
        { hour: t0, calls: 100 },
        { hour: t0 + H, calls: 100 },
        { hour: t0 + 2 * H, calls: 200 },
      ],
      2,
    );
    // hour 0: 50/50 → 50, 50; hour 1: half 50/50, half 20/80 → 35, 65; hour 2: 20/80 of 200 → 40, 160.
    expect(shares[0]).toBeCloseTo(125, 9);
    expect(shares[1]).toBeCloseTo(275, 9);
  });
});

describe('coveringVariant', () => {
  const variants = [
    { key: 'A', versionId: 'va', weight: 50 },
    { key: 'B', versionId: 'vb', weight: 50 },
  ];
  const abTest = {
    id: 't1',
    salt: 'salt-1',
    variants,
    allocation: initialAllocation(variants),
    startedAt: new Date(t0),
    endedAt: new Date(t0 + H),
  } as unknown as ABTestRow;
  const call = (versionId: string, requestId: string | null, at = t0 + 10) => ({ workspaceId: 'w', promptId: 'p', versionId, requestId, at: new Date(at) });
  const idOf = (key: string) => Array.from({ length: 100 }, (_, i) => `r${i}`).find((r) => assignVariant(abTest.allocation, abTest.salt, r) === key)!;

  test("by the request id's assignment when it matches the version; by the version without a request id", () => {
    expect(coveringVariant([abTest], call('vb', idOf('B')))).toEqual({ abTestId: 't1', variant: 'B' });
    expect(coveringVariant([abTest], call('va', idOf('B')))).toEqual({ abTestId: null, variant: null });
    expect(coveringVariant([abTest], call('va', null))).toEqual({ abTestId: 't1', variant: 'A' });
  });

  test('only while the test ran, and only for its versions', () => {
    expect(coveringVariant([abTest], call('vb', null, t0 - 1))).toEqual({ abTestId: null, variant: null });
    expect(coveringVariant([abTest], call('vb', null, t0 + H))).toEqual({ abTestId: null, variant: null });
    expect(coveringVariant([abTest], call('vc', null))).toEqual({ abTestId: null, variant: null });
  });
});
