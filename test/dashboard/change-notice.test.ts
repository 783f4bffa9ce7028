/** The short notices of live changes (dashboard/src/lib/change-notice.ts, pure), A/B test events included. */
import { changeNotice } from '../../dashboard/src/lib/change-notice';

const by = { actor: { name: 'Kira' } };

test('label moves and rollbacks name the version and who', () => {
  expect(changeNotice({ kind: 'LABEL_MOVED', promptName: 'support/triage', label: 'production', version: { number: 5 }, ...by })).toBe(
    'support/triage: production → v5 by Kira',
  );
  expect(changeNotice({ kind: 'ROLLED_BACK', promptName: 'support/triage', version: { number: 4 }, ...by })).toBe(
    'support/triage: production rolled back to v4 by Kira',
  );
});

test('A/B tests: a changed split, a stop with or without a promotion, an automatic conclusion', () => {
  expect(changeNotice({ kind: 'AB_TEST_STARTED', promptName: 'p', label: 'production', ...by })).toBe('p: A/B split on production changed by Kira');
  expect(changeNotice({ kind: 'AB_TEST_STOPPED', promptName: 'p', label: 'production', ...by })).toBe('p: A/B test on production stopped by Kira');
  expect(changeNotice({ kind: 'AB_TEST_STOPPED', promptName: 'p', label: 'production', version: { number: 3 }, ...by })).toBe(
    'p: A/B test stopped, production → v3 by Kira',
  );
  expect(changeNotice({ kind: 'AB_TEST_CONCLUDED', promptName: 'p', label: 'production', version: { number: 3 }, actor: { name: 'system' } })).toBe(
    'p: A/B test concluded, production → v3 (automatic promotion)',
  );
});

test('kinds without a notice', () => {
  expect(changeNotice({ kind: 'PROMPT_UPDATED', promptName: 'p', ...by })).toBeNull();
});
