/**
 * Data access of the fleet view: an instance's report (its identity row, then what it holds, replaced
 * as a whole), the instances holding one prompt, and the deletion of instances silent past retention.
 */
import { and, eq, gt, notInArray, sql } from 'drizzle-orm';
import { rowsOf } from '../db/rows';
import type { Executor } from '../db/client';
import { clientInstancePrompts, clientInstances, type ClientInstancePromptRow, type ClientInstanceRow, type HeldLabelRow } from '../db/schema';

export type InstanceIdentity = { workspaceId: string; service: string; instanceId: string; clientVersion: string; intervalMs: number };

/** Creates or refreshes the instance's row (last report now); returns it. */
export async function upsertInstance(tx: Executor, identity: InstanceIdentity, now: Date): Promise<ClientInstanceRow> {
  const [row] = await tx
    .insert(clientInstances)
    .values({ ...identity, firstSeenAt: now, lastReportAt: now })
    .onConflictDoUpdate({
      target: [clientInstances.workspaceId, clientInstances.service, clientInstances.instanceId],
      set: { clientVersion: identity.clientVersion, intervalMs: identity.intervalMs, lastReportAt: now },
    })
    .returning();
  return row!;
}

export async function holdingsOf(tx: Executor, clientInstanceId: string): Promise<ClientInstancePromptRow[]> {
  return tx.select().from(clientInstancePrompts).where(eq(clientInstancePrompts.clientInstanceId, clientInstanceId));
}

/** Replaces what the instance holds with `rows` (prompts no longer reported are dropped). */
export async function replaceHoldings(tx: Executor, clientInstanceId: string, rows: ClientInstancePromptRow[]): Promise<void> {
  const kept = rows.map((r) => r.promptId);
  await tx
    .delete(clientInstancePrompts)
    .where(
      kept.length === 0
        ? eq(clientInstancePrompts.clientInstanceId, clientInstanceId)
        : and(eq(clientInstancePrompts.clientInstanceId, clientInstanceId), notInArray(clientInstancePrompts.promptId, kept)),
    );
  if (rows.length === 0) return;
  await tx
    .insert(clientInstancePrompts)
    .values(rows)
    .onConflictDoUpdate({
      target: [clientInstancePrompts.clientInstanceId, clientInstancePrompts.promptId],
      set: {
        revision: sql`excluded.revision`,
        revisionSince: sql`excluded.revision_since`,
        labels: sql`excluded.labels`,
      },
    });
}

export type FleetRow = { instance: ClientInstanceRow; revision: number; revisionSince: Date; labels: HeldLabelRow[] };

/** Where a page of the fleet continues: after this service and instance id. */
export type FleetKey = { service: string; instanceId: string };

/** The instances that held a prompt and reported after `since`, by service and instance id, from after `after`. */
export async function instancesHolding(db: Executor, promptId: string, since: Date, limit: number, after: FleetKey | null = null): Promise<FleetRow[]> {
  return db
    .select({
      instance: clientInstances,
      revision: clientInstancePrompts.revision,
      revisionSince: clientInstancePrompts.revisionSince,
      labels: clientInstancePrompts.labels,
    })
    .from(clientInstancePrompts)
    .innerJoin(clientInstances, eq(clientInstances.id, clientInstancePrompts.clientInstanceId))
    .where(
      and(
        eq(clientInstancePrompts.promptId, promptId),
        gt(clientInstances.lastReportAt, since),
        after ? sql`(${clientInstances.service}, ${clientInstances.instanceId}) > (${after.service}, ${after.instanceId})` : undefined,
      ),
    )
    .orderBy(clientInstances.service, clientInstances.instanceId)
    .limit(limit);
}

export type HolderFacts = { service: string; revision: number; lastReportAt: Date; intervalMs: number };

/** Just what the per-service counts need, for every instance holding the prompt (narrow rows, no cap). */
export async function holderFacts(db: Executor, promptId: string, since: Date): Promise<HolderFacts[]> {
  return db
    .select({
      service: clientInstances.service,
      revision: clientInstancePrompts.revision,
      lastReportAt: clientInstances.lastReportAt,
      intervalMs: clientInstances.intervalMs,
    })
    .from(clientInstancePrompts)
    .innerJoin(clientInstances, eq(clientInstances.id, clientInstancePrompts.clientInstanceId))
    .where(and(eq(clientInstancePrompts.promptId, promptId), gt(clientInstances.lastReportAt, since)));
}

/**
 * Deletes up to `limit` instances whose last report is before `cutoff`; what they held goes with them
 * (ON DELETE CASCADE). The outer condition repeats the cutoff so an instance that reports while this
 * runs is re-checked on its new row and kept. No index on last_report_at: one row per instance, so a
 * scan per prune run is cheap.
 */
export async function deleteInstancesSilentSince(tx: Executor, cutoff: Date, limit: number): Promise<number> {
  const at = cutoff.toISOString();
  const result = await tx.execute(sql`/* pruneFleet */ DELETE FROM client_instances
WHERE last_report_at < ${at}::timestamptz
  AND id IN (SELECT id FROM client_instances WHERE last_report_at < ${at}::timestamptz LIMIT ${limit})
RETURNING 1`);
  return rowsOf(result).length;
}
