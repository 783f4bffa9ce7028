/** Reading A/B tests: by id and results (which may conclude the test). Per prompt they load through the DataLoaders. */
import { assertCan } from '../auth/permissions';
import type { ABTestRow } from '../db/schema';
import type { RequestScope } from '../shared/request-scope';
import { computeResults, type ABTestResults } from './ab-results';
import type { ABRuntime } from './ab-runtime';
import { findTest } from './ab-test-store';
import type { ExperimentDeps } from './deps';

/**
 * Readers of prompts. (Service keys that only resolve get each running test's salt and allocation from
 * `clientPrompts`, which is all a client library needs to assign locally.)
 */
export function assertCanReadTests(scope: RequestScope): void {
  assertCan(scope.principal, 'prompt:read');
}

export async function getTest(deps: ExperimentDeps, scope: RequestScope, id: string): Promise<ABTestRow | null> {
  assertCanReadTests(scope);
  return findTest(deps.db, scope.principal.workspaceId, id);
}

/** Current results; reading them also runs the automatic promotion when its conditions hold. */
export async function testResults(deps: ExperimentDeps, runtime: ABRuntime, scope: RequestScope, test: ABTestRow): Promise<ABTestResults> {
  assertCan(scope.principal, 'metrics:read');
  const results = await computeResults(deps.db, test);
  if (results.decision === 'WINNER') await runtime.evaluate(test, results);
  return results;
}
