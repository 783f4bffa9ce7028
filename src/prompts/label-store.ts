/**
 * Data access of labels and their append-only history: the pointers of some prompts (alone or joined
 * to their versions), one label's target (optionally locked), the move itself and the history reads.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../auth/principal';
import type { Executor } from '../db/client';
import { labelHistory, labels, promptVersions, type LabelHistoryRow, type LabelRow, type VersionRow } from '../db/schema';

export async function labelsOf(db: Executor, promptIds: readonly string[]): Promise<LabelRow[]> {
  if (promptIds.length === 0) return [];
  return db
    .select()
    .from(labels)
    .where(inArray(labels.promptId, [...promptIds]));
}

/** Each label of some prompts with the version it points at; only the one label when `label` is given. */
export async function labelVersions(db: Executor, promptIds: readonly string[], label?: string): Promise<{ label: string; version: VersionRow }[]> {
  if (promptIds.length === 0) return [];
  const of = inArray(labels.promptId, [...promptIds]);
  return db
    .select({ label: labels.name, version: promptVersions })
    .from(labels)
    .innerJoin(promptVersions, eq(promptVersions.id, labels.versionId))
    .where(label === undefined ? of : and(of, eq(labels.name, label)));
}

/** The version each of some prompts has at one label, in one query (the MCP prompt list reads production's contracts). */
export async function versionsAtLabel(db: Executor, promptIds: string[], label: string): Promise<Map<string, VersionRow>> {
  const rows = await labelVersions(db, promptIds, label);
  return new Map(rows.map((r) => [r.version.promptId, r.version]));
}

export async function currentLabelTarget(tx: Executor, promptId: string, label: string, lock = false): Promise<string | null> {
  const q = tx
    .select({ versionId: labels.versionId })
    .from(labels)
    .where(and(eq(labels.promptId, promptId), eq(labels.name, label)));
  const [row] = lock ? await q.for('update') : await q;
  return row?.versionId ?? null;
}

/** Points the label at `versionId` (creating it), or removes it when `versionId` is null. */
export async function writeLabel(tx: Executor, promptId: string, label: string, versionId: string | null, actor: Actor): Promise<void> {
  if (versionId) {
    const now = new Date();
    await tx
      .insert(labels)
      .values({ promptId, name: label, versionId, updatedById: actor.id, updatedByName: actor.name, updatedAt: now })
      .onConflictDoUpdate({
        target: [labels.promptId, labels.name],
        set: { versionId, updatedById: actor.id, updatedByName: actor.name, updatedAt: now },
      });
  } else {
    await tx.delete(labels).where(and(eq(labels.promptId, promptId), eq(labels.name, label)));
  }
}

export async function appendLabelHistory(tx: Executor, entry: typeof labelHistory.$inferInsert): Promise<void> {
  await tx.insert(labelHistory).values(entry);
}

/** Newest first; one label's moves when `label` is given. */
export async function labelHistoryOf(db: Executor, promptId: string, label: string | null | undefined, limit: number): Promise<LabelHistoryRow[]> {
  const where = label ? and(eq(labelHistory.promptId, promptId), eq(labelHistory.label, label)) : eq(labelHistory.promptId, promptId);
  return db.select().from(labelHistory).where(where).orderBy(desc(labelHistory.seq)).limit(limit);
}
