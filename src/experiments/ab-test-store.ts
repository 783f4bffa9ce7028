/** Data access of A/B tests: find (workspace-scoped), lock, list per prompt, and the tests that may cover a call. */
import { and, desc, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { abTests, promptVersions, type ABTestRow, type VersionRow } from '../db/schema';
import { isUuid } from '../shared/validate';

/** A test by id in the workspace; another workspace's test, or a malformed id, is simply missing. */
export async function findTest(db: Executor, workspaceId: string, id: string, lock = false): Promise<ABTestRow | null> {
  if (!isUuid(id)) return null;
  const q = db
    .select()
    .from(abTests)
    .where(and(eq(abTests.id, id.toLowerCase()), eq(abTests.workspaceId, workspaceId)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function runningTests(db: Executor, promptId: string, label?: string): Promise<ABTestRow[]> {
  const where =
    label === undefined
      ? and(eq(abTests.promptId, promptId), eq(abTests.status, 'RUNNING'))
      : and(eq(abTests.promptId, promptId), eq(abTests.status, 'RUNNING'), eq(abTests.label, label));
  return db.select().from(abTests).where(where);
}

export async function testsOfPrompt(db: Executor, promptId: string): Promise<ABTestRow[]> {
  return db.select().from(abTests).where(eq(abTests.promptId, promptId)).orderBy(desc(abTests.startedAt), desc(abTests.id));
}

/** Running tests and those ended since `since`: the tests a call (dated up to 7 days back) can belong to. */
export async function recentTestsOfPrompt(db: Executor, promptId: string, since: Date): Promise<ABTestRow[]> {
  return db
    .select()
    .from(abTests)
    .where(and(eq(abTests.promptId, promptId), or(isNull(abTests.endedAt), gt(abTests.endedAt, since))));
}

/** The variants' versions, by version id. */
export async function versionsOf(db: Executor, tests: readonly ABTestRow[]): Promise<Map<string, VersionRow>> {
  const ids = [...new Set(tests.flatMap((t) => t.variants.map((v) => v.versionId)))];
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(promptVersions).where(inArray(promptVersions.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}
