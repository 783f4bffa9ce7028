/** Data access of model prices: the prices a workspace sees (its own, else the global one), one row, the upsert. */
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { modelPrices, type ModelPriceRow } from '../db/schema';

export type PriceRow = { model: string; inputPerMillion: string; outputPerMillion: string; updatedAt: Date };

export async function effectivePrices(db: Executor, workspaceId: string): Promise<PriceRow[]> {
  return (
    db
      .selectDistinctOn([modelPrices.model], {
        model: modelPrices.model,
        inputPerMillion: modelPrices.inputPerMillion,
        outputPerMillion: modelPrices.outputPerMillion,
        updatedAt: modelPrices.updatedAt,
      })
      .from(modelPrices)
      .where(or(eq(modelPrices.workspaceId, workspaceId), isNull(modelPrices.workspaceId)))
      // The workspace's own row sorts before the global one (nulls last).
      .orderBy(modelPrices.model, sql`${modelPrices.workspaceId} nulls last`)
  );
}

/** The workspace's own price of a model (not the global one), if it set one. */
export async function workspacePrice(db: Executor, workspaceId: string, model: string): Promise<ModelPriceRow | null> {
  const [row] = await db
    .select()
    .from(modelPrices)
    .where(and(eq(modelPrices.workspaceId, workspaceId), eq(modelPrices.model, model)));
  return row ?? null;
}

export async function upsertWorkspacePrice(
  tx: Executor,
  workspaceId: string,
  model: string,
  values: { inputPerMillion: string; outputPerMillion: string; updatedAt: Date },
): Promise<ModelPriceRow> {
  const [saved] = await tx
    .insert(modelPrices)
    .values({ workspaceId, model, ...values })
    .onConflictDoUpdate({ target: [modelPrices.workspaceId, modelPrices.model], set: values })
    .returning();
  return saved!;
}
