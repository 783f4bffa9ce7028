/**
 * Data access of A/B tests: find (workspace-scoped), lock, list per prompt (one or many: the DataLoaders
 * batch these), the tests that may cover a call, insert and update.
 */
import { and, desc, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { onViolation } from '../db/constraints';
import { ConflictError } from '../errors';
import { abTests, type ABTestRow, type VersionRow } from '../db/schema';
import { versionsByIds } from '../prompts/version-store';
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

/** A test by id alone, for the instance's own follow-ups (the id came from a workspace-scoped read). */
export async function testById(db: Executor, id: string): Promise<ABTestRow | null> {
  const [row] = await db.select().from(abTests).where(eq(abTests.id, id));
  return row ?? null;
}

/** The running tests of some prompts (of one workspace when `workspaceId` is given); only those on `label` when it is given. */
export async function runningTestsOf(db: Executor, promptIds: readonly string[], options: { label?: string; workspaceId?: string } = {}): Promise<ABTestRow[]> {
  if (promptIds.length === 0) return [];
  return db
    .select()
    .from(abTests)
    .where(
      and(
        options.workspaceId === undefined ? undefined : eq(abTests.workspaceId, options.workspaceId),
        inArray(abTests.promptId, [...promptIds]),
        eq(abTests.status, 'RUNNING'),
        options.label === undefined ? undefined : eq(abTests.label, options.label),
      ),
    );
}

export async function runningTests(db: Executor, promptId: string, label?: string): Promise<ABTestRow[]> {
  return runningTestsOf(db, [promptId], { label });
}

/** Every test of some prompts, each prompt's newest first. */
export async function testsOfPrompts(db: Executor, promptIds: readonly string[]): Promise<ABTestRow[]> {
  if (promptIds.length === 0) return [];
  return db
    .select()
    .from(abTests)
    .where(inArray(abTests.promptId, [...promptIds]))
    .orderBy(desc(abTests.startedAt), desc(abTests.id));
}

/** Running tests and those ended since `since`: the tests a call (dated up to 7 days back) can belong to. */
export async function recentTestsOfPrompt(db: Executor, promptId: string, since: Date): Promise<ABTestRow[]> {
  return db
    .select()
    .from(abTests)
    .where(and(eq(abTests.promptId, promptId), or(isNull(abTests.endedAt), gt(abTests.endedAt, since))));
}

/** The variants' versions, by version id (the tests are of one workspace). */
export async function versionsOf(db: Executor, tests: readonly ABTestRow[]): Promise<Map<string, VersionRow>> {
  const ids = [...new Set(tests.flatMap((t) => t.variants.map((v) => v.versionId)))];
  if (ids.length === 0) return new Map();
  const rows = await versionsByIds(db, tests[0]!.workspaceId, ids);
  return new Map(rows.map((r) => [r.id, r]));
}

/** A second running test on the label is a CONFLICT (the partial unique index ab_tests_one_running). */
export async function insertTest(tx: Executor, row: typeof abTests.$inferInsert, promptName: string): Promise<ABTestRow> {
  const [inserted] = await onViolation(tx.insert(abTests).values(row).returning(), {
    ab_tests_one_running: () => new ConflictError(`An A/B test is already running on "${promptName}@${row.label}".`),
  });
  return inserted!;
}

/** Updates a test; with `onlyIfRunning` a test that ended meanwhile is left alone (null). */
export async function updateTest(
  tx: Executor,
  id: string,
  changes: Partial<typeof abTests.$inferInsert>,
  options: { onlyIfRunning?: boolean } = {},
): Promise<ABTestRow | null> {
  const [row] = await tx
    .update(abTests)
    .set(changes)
    .where(options.onlyIfRunning ? and(eq(abTests.id, id), eq(abTests.status, 'RUNNING')) : eq(abTests.id, id))
    .returning();
  return row ?? null;
}
