/**
 * Data access shared by the prompt services: find and lock a prompt (the per-prompt row lock that
 * serializes version numbers, label moves and revisions), raise its revision, read versions.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { labels, prompts, promptVersions, type LabelRow, type PromptRow, type VersionRow } from '../db/schema';
import { ConflictError, NotFoundError } from '../errors';
import { isUuid } from '../shared/validate';

export async function findPrompt(db: Executor, workspaceId: string, name: string): Promise<PromptRow | null> {
  const [row] = await db
    .select()
    .from(prompts)
    .where(and(eq(prompts.workspaceId, workspaceId), eq(prompts.name, name)));
  return row ?? null;
}

/**
 * Locks the prompt row for the rest of the transaction (`FOR UPDATE`) and checks `expectedRevision`.
 * Concurrent writers on any instance queue here, which is what makes version numbers gap-free.
 */
export async function lockPrompt(tx: Executor, workspaceId: string, name: string, expectedRevision?: number | null): Promise<PromptRow> {
  const [row] = await tx
    .select()
    .from(prompts)
    .where(and(eq(prompts.workspaceId, workspaceId), eq(prompts.name, name)))
    .for('update');
  if (!row) throw new NotFoundError(`No prompt named "${name}".`);
  if (expectedRevision != null && expectedRevision !== row.revision) {
    throw new ConflictError(`The prompt changed meanwhile: it is at revision ${row.revision}, not ${expectedRevision}.`, { currentRevision: row.revision });
  }
  return row;
}

/** Raises the revision by one (every change does, in its own transaction) and returns the new row. */
export async function bumpRevision(tx: Executor, promptId: string, changes: Partial<PromptRow> = {}): Promise<PromptRow> {
  const [row] = await tx
    .update(prompts)
    .set({ ...changes, revision: sql`${prompts.revision} + 1`, updatedAt: new Date() })
    .where(eq(prompts.id, promptId))
    .returning();
  return row!;
}

/** A version by id within the workspace; a malformed id is simply not found. */
export async function findVersion(db: Executor, workspaceId: string, id: string): Promise<VersionRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select()
    .from(promptVersions)
    .where(and(eq(promptVersions.id, id), eq(promptVersions.workspaceId, workspaceId)));
  return row ?? null;
}

/** A version of this very prompt (a version of another prompt, or of another workspace, is not found). */
export async function versionOfPrompt(db: Executor, prompt: PromptRow, id: string): Promise<VersionRow> {
  const version = await findVersion(db, prompt.workspaceId, id);
  if (!version || version.promptId !== prompt.id) throw new NotFoundError(`Prompt "${prompt.name}" has no version with this id.`);
  return version;
}

export async function latestVersion(db: Executor, promptId: string): Promise<VersionRow | null> {
  const [row] = await db.select().from(promptVersions).where(eq(promptVersions.promptId, promptId)).orderBy(desc(promptVersions.number)).limit(1);
  return row ?? null;
}

export async function labelsOf(db: Executor, promptIds: string[]): Promise<LabelRow[]> {
  if (promptIds.length === 0) return [];
  return db.select().from(labels).where(inArray(labels.promptId, promptIds));
}
