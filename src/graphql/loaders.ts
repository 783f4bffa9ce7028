/**
 * Per-request DataLoaders over the stores' batched reads: relations of rows load in one query per kind,
 * scoped to the caller's workspace. No SQL here: each loader wraps one store function.
 */
import DataLoader from 'dataloader';
import { workspacesByIds } from '../auth/workspace-store';
import { runningTestsOf, testsOfPrompts } from '../experiments/ab-test-store';
import type { Db } from '../db/client';
import type { ABTestRow, LabelRow, PromptRow, UserRow, VersionRow, WorkspaceRow } from '../db/schema';
import { metricsById } from '../metrics/rollup-store';
import type { VersionMetrics } from '../metrics/summarize';
import { usersByIds } from '../people/user-store';
import { labelsOf } from '../prompts/label-store';
import { promptsByIds } from '../prompts/prompt-store';
import { latestVersions, versionsByIds } from '../prompts/version-store';

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
    prompt: new DataLoader<string, PromptRow | null>(async (ids) => byKey(ids, await promptsByIds(db, ws, ids), (r) => r.id)),
    version: new DataLoader<string, VersionRow | null>(async (ids) => byKey(ids, await versionsByIds(db, ws, ids), (r) => r.id)),
    labelsOfPrompt: new DataLoader<string, LabelRow[]>(async (ids) => groupBy(ids, await labelsOf(db, ids), (r) => r.promptId)),
    latestVersion: new DataLoader<string, VersionRow | null>(async (ids) => {
      const latest = await latestVersions(db, ids);
      return ids.map((id) => latest.get(id) ?? null);
    }),
    /** A prompt's running test on production (Prompt.activeABTest). */
    productionTest: new DataLoader<string, ABTestRow | null>(async (ids) =>
      byKey(ids, await runningTestsOf(db, ids, { label: 'production', workspaceId: ws }), (r) => r.promptId),
    ),
    /** A prompt's tests, newest first (Prompt.abTests). */
    testsOfPrompt: new DataLoader<string, ABTestRow[]>(async (ids) => groupBy(ids, await testsOfPrompts(db, ids), (r) => r.promptId)),
    workspace: new DataLoader<string, WorkspaceRow | null>(async (ids) => byKey(ids, await workspacesByIds(db, ids), (r) => r.id)),
    /** People named as actors (history, audit, createdBy): their email. */
    user: new DataLoader<string, UserRow | null>(async (ids) => byKey(ids, await usersByIds(db, ids), (r) => r.id)),
  };
}
