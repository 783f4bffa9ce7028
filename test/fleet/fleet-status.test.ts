/** The fleet view's pure rules: silent after two intervals, stale against the current revision, lagging after the lag threshold. */
import { countByService, instanceState, mergeLabelSince } from '../../src/fleet/fleet-status';

const at = (ms: number) => new Date(1_000_000 + ms);

test('an instance is current, stale, lagging or silent (silent wins)', () => {
  const prompt = { revision: 5, revisionSince: at(0) };
  const facts = (revision: number, lastReportMs: number) => ({ revision, lastReportAt: at(lastReportMs), intervalMs: 1_000 });
  expect(instanceState(facts(5, 900), prompt, at(1_000), 5_000)).toEqual({ status: 'CURRENT', stale: false, lagging: false, silent: false });
  expect(instanceState(facts(4, 900), prompt, at(1_000), 5_000)).toEqual({ status: 'STALE', stale: true, lagging: false, silent: false });
  expect(instanceState(facts(4, 5_900), prompt, at(6_000), 5_000)).toEqual({ status: 'LAGGING', stale: true, lagging: true, silent: false });
  // Two intervals without a report: silent, whatever it holds.
  expect(instanceState(facts(5, 0), prompt, at(2_000), 5_000).status).toBe('CURRENT');
  expect(instanceState(facts(5, 0), prompt, at(2_001), 5_000)).toEqual({ status: 'SILENT', stale: false, lagging: false, silent: true });
  expect(instanceState(facts(4, 0), prompt, at(9_000), 5_000)).toMatchObject({ status: 'SILENT', stale: true, lagging: true });
});

test('counts per service, sorted by name', () => {
  expect(
    countByService([
      { service: 'b', status: 'CURRENT' },
      { service: 'a', status: 'SILENT' },
      { service: 'b', status: 'LAGGING' },
      { service: 'b', status: 'STALE' },
    ]),
  ).toEqual([
    { service: 'a', instances: 1, current: 0, stale: 0, lagging: 0, silent: 1 },
    { service: 'b', instances: 3, current: 1, stale: 1, lagging: 1, silent: 0 },
  ]);
});

test('a label keeps its since while the same version is held there', () => {
  const prev = [
    { label: 'production', versionId: 'v1', since: at(0).toISOString() },
    { label: 'staging', versionId: 'v1', since: at(0).toISOString() },
  ];
  expect(
    mergeLabelSince(
      [
        { label: 'production', versionId: 'v1' },
        { label: 'staging', versionId: 'v2' },
      ],
      prev,
      at(500),
    ),
  ).toEqual([
    { label: 'production', versionId: 'v1', since: at(0).toISOString() },
    { label: 'staging', versionId: 'v2', since: at(500).toISOString() },
  ]);
});
