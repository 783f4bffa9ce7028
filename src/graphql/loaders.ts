/** Per-request DataLoaders: relations of rows load in one query per kind, scoped to the caller's workspace. */
import DataLoader from 'dataloader';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { labels, prompts, promptVersions, workspaces, type LabelRow, type PromptRow, type VersionRow, type WorkspaceRow } from '../db/schema';

export type Loaders = ReturnType<typeof createLoaders>;

function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (v: V) => K): (V | null)[] {
  const map = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => map.get(k) ?? null);
}

function groupBy<K, V>(keys: readonly K[], rows: V[], keyOf: (v: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const r of rows) {
    const k = keyOf(r);
    map.set(k, [...(map.get(k) ?? []), r]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

/** `workspaceId` is null before authentication; then nothing loads. */
export function createLoaders(db: Db, workspaceId: string | null) {
  const ws = workspaceId ?? '00000000-0000-0000-0000-000000000000';
  return {
    prompt: new DataLoader<string, PromptRow | null>(async (ids) =>
      byKey(ids, await db.select().from(prompts).where(and(eq(prompts.workspaceId, ws), inArray(prompts.id, [...ids]))), (r) => r.id),
    ),
    version: new DataLoader<string, VersionRow | null>(async (ids) =>
      byKey(ids, await db.select().from(promptVersions).where(and(eq(promptVersions.workspaceId, ws), inArray(promptVersions.id, [...ids]))), (r) => r.id),
    ),
    labelsOfPrompt: new DataLoader<string, LabelRow[]>(async (ids) =>
      groupBy(ids, await db.select().from(labels).where(inArray(labels.promptId, [...ids])), (r) => r.promptId),
    ),
    latestNumber: new DataLoader<string, number>(async (ids) => {
      const rows = await db.select({ id: prompts.id, n: prompts.versionCount }).from(prompts).where(inArray(prompts.id, [...ids]));
      const map = new Map(rows.map((r) => [r.id, r.n]));
      return ids.map((id) => map.get(id) ?? 0);
    }),
    latestVersion: new DataLoader<string, VersionRow | null>(async (ids) => {
      const rows = await db.selectDistinctOn([promptVersions.promptId]).from(promptVersions).where(inArray(promptVersions.promptId, [...ids])).orderBy(promptVersions.promptId, desc(promptVersions.number));
      return byKey(ids, rows, (r) => r.promptId);
    }),
    workspace: new DataLoader<string, WorkspaceRow | null>(async (ids) => byKey(ids, await db.select().from(workspaces).where(inArray(workspaces.id, [...ids])), (r) => r.id)),
  };
}
