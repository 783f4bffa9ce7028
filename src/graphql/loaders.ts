/** Per-request DataLoaders: relations of rows load in one query per kind, scoped to the caller's workspace. */
import DataLoader from 'dataloader';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { metricsById } from '../metrics/queries';
import { usersByIds } from '../people/user-store';
import type { UserRow } from '../db/schema';
import type { VersionMetrics } from '../metrics/summarize';
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
  // Per-object `metrics(from, to)` of a list: one query per kind and time range, not one per object.
  const metricsLoaders = new Map<string, DataLoader<string, VersionMetrics>>();
  const metrics = (by: 'prompt' | 'version', from?: Date | null, to?: Date | null): DataLoader<string, VersionMetrics> => {
    const key = `${by}|${from?.toISOString() ?? ''}|${to?.toISOString() ?? ''}`;
    let loader = metricsLoaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, VersionMetrics>(async (ids) => {
        const byId = await metricsById(db, { workspaceId: ws, from: from ?? null, to: to ?? null }, by, ids);
        return ids.map((id) => byId.get(id)!);
      });
      metricsLoaders.set(key, loader);
    }
    return loader;
  };
  return {
    metrics,
    prompt: new DataLoader<string, PromptRow | null>(async (ids) =>
      byKey(
        ids,
        await db
          .select()
          .from(prompts)
          .where(and(eq(prompts.workspaceId, ws), inArray(prompts.id, [...ids]))),
        (r) => r.id,
      ),
    ),
    version: new DataLoader<string, VersionRow | null>(async (ids) =>
      byKey(
        ids,
        await db
          .select()
          .from(promptVersions)
          .where(and(eq(promptVersions.workspaceId, ws), inArray(promptVersions.id, [...ids]))),
        (r) => r.id,
      ),
    ),
    labelsOfPrompt: new DataLoader<string, LabelRow[]>(async (ids) =>
      groupBy(
        ids,
        await db
          .select()
          .from(labels)
          .where(inArray(labels.promptId, [...ids])),
        (r) => r.promptId,
      ),
    ),
    latestNumber: new DataLoader<string, number>(async (ids) => {
      const rows = await db
        .select({ id: prompts.id, n: prompts.versionCount })
        .from(prompts)
        .where(inArray(prompts.id, [...ids]));
      const map = new Map(rows.map((r) => [r.id, r.n]));
      return ids.map((id) => map.get(id) ?? 0);
    }),
    latestVersion: new DataLoader<string, VersionRow | null>(async (ids) => {
      const rows = await db
        .selectDistinctOn([promptVersions.promptId])
        .from(promptVersions)
        .where(inArray(promptVersions.promptId, [...ids]))
        .orderBy(promptVersions.promptId, desc(promptVersions.number));
      return byKey(ids, rows, (r) => r.promptId);
    }),
    workspace: new DataLoader<string, WorkspaceRow | null>(async (ids) =>
      byKey(
        ids,
        await db
          .select()
          .from(workspaces)
          .where(inArray(workspaces.id, [...ids])),
        (r) => r.id,
      ),
    ),
    /** People named as actors (history, audit, createdBy): their email. */
    user: new DataLoader<string, UserRow | null>(async (ids) => byKey(ids, await usersByIds(db, ids), (r) => r.id)),
  };
}
