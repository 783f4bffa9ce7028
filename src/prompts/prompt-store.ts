/**
 * Data access of prompts: find (by name or id, always within a workspace), list, insert, lock (the
 * per-prompt row lock that serializes version numbers, label moves and revisions), raise the revision.
 */
import { and, asc, eq, gt, ilike, inArray, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import { escapeLike } from '../db/like';
import type { Executor } from '../db/client';
import { onViolation } from '../db/constraints';
import { prompts, type PromptRow } from '../db/schema';
import { ConflictError, NotFoundError } from '../errors';

export async function promptsByNames(db: Executor, workspaceId: string, names: readonly string[]): Promise<PromptRow[]> {
  if (names.length === 0) return [];
  return db
    .select()
    .from(prompts)
    .where(and(eq(prompts.workspaceId, workspaceId), inArray(prompts.name, [...names])));
}

export async function findPrompt(db: Executor, workspaceId: string, name: string): Promise<PromptRow | null> {
  const [row] = await promptsByNames(db, workspaceId, [name]);
  return row ?? null;
}

export async function promptsByIds(db: Executor, workspaceId: string, ids: readonly string[]): Promise<PromptRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(prompts)
    .where(and(eq(prompts.workspaceId, workspaceId), inArray(prompts.id, [...ids])));
}

export async function findPromptById(db: Executor, workspaceId: string, id: string): Promise<PromptRow | null> {
  const [row] = await promptsByIds(db, workspaceId, [id]);
  return row ?? null;
}

/** The current revision of each named prompt that exists (the client's one-request re-check). */
export async function revisionsByNames(db: Executor, workspaceId: string, names: readonly string[]): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  const rows = await db
    .select({ name: prompts.name, revision: prompts.revision })
    .from(prompts)
    .where(and(eq(prompts.workspaceId, workspaceId), inArray(prompts.name, [...names])));
  return new Map(rows.map((r) => [r.name, r.revision]));
}

export type NewPromptRow = typeof prompts.$inferInsert;

export async function insertPrompt(tx: Executor, row: NewPromptRow): Promise<PromptRow> {
  const [inserted] = await onViolation(tx.insert(prompts).values(row).returning(), {
    prompts_workspace_name: () => new ConflictError(`A prompt named "${row.name}" already exists.`),
  });
  return inserted!;
}

/** Already validated. `search` matches name or description; `folder` is a name prefix without its trailing slash. */
export type PromptListFilter = { workspaceId: string; includeArchived: boolean; search: string | null; tag: string | null; folder: string | null };

/** By name; `afterName` pages on. The total counts every match, not only the page. */
export async function promptsPage(
  db: Executor,
  filter: PromptListFilter,
  afterName: string | null,
  limit: number,
): Promise<{ rows: PromptRow[]; totalCount: number }> {
  const conditions: SQL[] = [eq(prompts.workspaceId, filter.workspaceId)];
  if (!filter.includeArchived) conditions.push(isNull(prompts.archivedAt));
  if (filter.search !== null) {
    const q = `%${escapeLike(filter.search)}%`;
    conditions.push(or(ilike(prompts.name, q), ilike(prompts.description, q))!);
  }
  if (filter.tag !== null) conditions.push(sql`${filter.tag} = ANY(${prompts.tags})`);
  if (filter.folder !== null) conditions.push(like(prompts.name, `${escapeLike(filter.folder)}/%`));
  const where = and(...conditions)!;
  const totalCount = await db.$count(prompts, where);
  const rows = await db
    .select()
    .from(prompts)
    .where(afterName !== null ? and(where, gt(prompts.name, afterName))! : where)
    .orderBy(asc(prompts.name))
    .limit(limit);
  return { rows, totalCount };
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
