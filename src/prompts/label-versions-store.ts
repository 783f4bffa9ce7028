/** The version each of some prompts has at one label, in one query (the MCP prompt list reads production's contracts). */
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { labels, promptVersions, type VersionRow } from '../db/schema';

export async function versionsAtLabel(db: Executor, promptIds: string[], label: string): Promise<Map<string, VersionRow>> {
  if (promptIds.length === 0) return new Map();
  const rows = await db
    .select({ promptId: labels.promptId, version: promptVersions })
    .from(labels)
    .innerJoin(promptVersions, eq(promptVersions.id, labels.versionId))
    .where(and(inArray(labels.promptId, promptIds), eq(labels.name, label)));
  return new Map(rows.map((r) => [r.promptId, r.version]));
}
