/**
 * Data access of versions (insert-only rows): by id, by number, the latest, a page of a prompt's
 * versions, and the insert. Batched forms take many prompts or ids (the DataLoaders and the client
 * bundle use them); the single forms are those with one id.
 */
import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { onViolation } from '../db/constraints';
import { promptVersions, type PromptRow, type VersionRow } from '../db/schema';
import { ConflictError, NotFoundError } from '../errors';
import { isUuid } from '../shared/validate';

/** Versions by id within the workspace (ids of another workspace are not found). */
export async function versionsByIds(db: Executor, workspaceId: string, ids: readonly string[]): Promise<VersionRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(promptVersions)
    .where(and(eq(promptVersions.workspaceId, workspaceId), inArray(promptVersions.id, [...ids])));
}

/** A version by id within the workspace; a malformed id is simply not found. */
export async function findVersion(db: Executor, workspaceId: string, id: string): Promise<VersionRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await versionsByIds(db, workspaceId, [id]);
  return row ?? null;
}

/** A version of this very prompt (a version of another prompt, or of another workspace, is not found). */
export async function versionOfPrompt(db: Executor, prompt: PromptRow, id: string): Promise<VersionRow> {
  const version = await findVersion(db, prompt.workspaceId, id);
  if (!version || version.promptId !== prompt.id) throw new NotFoundError(`Prompt "${prompt.name}" has no version with this id.`);
  return version;
}

/** The newest version of each prompt (prompts without versions are absent), by prompt id. */
export async function latestVersions(db: Executor, promptIds: readonly string[]): Promise<Map<string, VersionRow>> {
  if (promptIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([promptVersions.promptId])
    .from(promptVersions)
    .where(inArray(promptVersions.promptId, [...promptIds]))
    .orderBy(promptVersions.promptId, desc(promptVersions.number));
  return new Map(rows.map((r) => [r.promptId, r]));
}

export async function latestVersion(db: Executor, promptId: string): Promise<VersionRow | null> {
  return (await latestVersions(db, [promptId])).get(promptId) ?? null;
}

/** Some numbered versions of one prompt (numbers it lacks are absent). */
export async function versionsByNumbers(db: Executor, promptId: string, numbers: readonly number[]): Promise<VersionRow[]> {
  if (numbers.length === 0) return [];
  return db
    .select()
    .from(promptVersions)
    .where(and(eq(promptVersions.promptId, promptId), inArray(promptVersions.number, [...numbers])));
}

export async function versionByNumber(db: Executor, promptId: string, number: number): Promise<VersionRow | null> {
  const [row] = await versionsByNumbers(db, promptId, [number]);
  return row ?? null;
}

/** Newest first; `before` (a version number) pages on. */
export async function versionsPage(db: Executor, promptId: string, limit: number, before: number | null): Promise<VersionRow[]> {
  const where = before != null ? and(eq(promptVersions.promptId, promptId), lt(promptVersions.number, before)) : eq(promptVersions.promptId, promptId);
  return db.select().from(promptVersions).where(where).orderBy(desc(promptVersions.number)).limit(limit);
}

export type NewVersionRow = typeof promptVersions.$inferInsert;

/** `promptName` names the prompt in the CONFLICT a concurrent writer of the same number gets. */
export async function insertVersionRow(tx: Executor, row: NewVersionRow, promptName: string): Promise<VersionRow> {
  const [version] = await onViolation(tx.insert(promptVersions).values(row).returning(), {
    prompt_versions_prompt_number: () => new ConflictError(`Version ${row.number} of "${promptName}" was created concurrently; retry.`),
  });
  return version!;
}
