/**
 * The model price table: global list prices (seeded by migration 0003) and per-workspace overrides
 * set by admins. A workspace sees its own price for a model, else the global one. Ingestion reads a
 * per-workspace copy cached for PRICE_CACHE_MS (evicted at once on this instance when an admin sets
 * a price; other instances pick it up within that bound).
 */
import { assertCan } from '../auth/permissions';
import type { Db } from '../db/client';
import { BadInputError } from '../errors';
import type { RequestScope } from '../shared/request-scope';
import { assertFiniteRange, assertText } from '../shared/validate';
import { createTtlCache } from '../shared/ttl-cache';
import { writeAudit } from '../audit/audit-log';
import { actorOf } from '../auth/principal';
import { decimalToNano, type Price } from './cost';
import { effectivePrices, upsertWorkspacePrice, workspacePrice, type PriceRow } from './price-store';

export const PRICE_CACHE_MS = 10_000;
/** Per million tokens; beyond this a price is a typo. */
const MAX_PRICE = 1_000_000;

export type ModelPrice = { model: string; inputPerMillion: number; outputPerMillion: number; updatedAt: Date };
const toModelPrice = (r: PriceRow): ModelPrice => ({
  model: r.model,
  inputPerMillion: Number(r.inputPerMillion),
  outputPerMillion: Number(r.outputPerMillion),
  updatedAt: r.updatedAt,
});

export type PriceBook = {
  /** The price ingestion uses for a model in a workspace, or null when the model has none. */
  priceOf(workspaceId: string, model: string): Promise<Price | null>;
  list(scope: RequestScope): Promise<ModelPrice[]>;
  set(scope: RequestScope, model: string, inputPerMillion: number, outputPerMillion: number): Promise<ModelPrice>;
};

export function createPriceBook(db: Db): PriceBook {
  const cache = createTtlCache<Map<string, Price>>({
    ttlMs: PRICE_CACHE_MS,
    maxEntries: 10_000,
    load: async (workspaceId) =>
      new Map(
        (await effectivePrices(db, workspaceId)).map((r) => [
          r.model,
          { inputNano: decimalToNano(r.inputPerMillion), outputNano: decimalToNano(r.outputPerMillion) },
        ]),
      ),
  });
  return {
    async priceOf(workspaceId, model) {
      const table = cache.peek(workspaceId) ?? (await cache.get(workspaceId));
      return table.get(model) ?? null;
    },
    async list(scope) {
      assertCan(scope.principal, 'metrics:read');
      return (await effectivePrices(db, scope.principal.workspaceId)).map(toModelPrice);
    },
    async set(scope, model, inputPerMillion, outputPerMillion) {
      assertCan(scope.principal, 'price:manage');
      assertText(model, 'model', 200);
      if (!model.trim()) throw new BadInputError('model', 'model cannot be empty.');
      assertFiniteRange(inputPerMillion, 'inputPerMillion', 0, MAX_PRICE);
      assertFiniteRange(outputPerMillion, 'outputPerMillion', 0, MAX_PRICE);
      const workspaceId = scope.principal.workspaceId;
      const values = { inputPerMillion: inputPerMillion.toFixed(9), outputPerMillion: outputPerMillion.toFixed(9), updatedAt: new Date() };
      const row = await db.transaction(async (tx) => {
        const before = await workspacePrice(tx, workspaceId, model);
        const saved = await upsertWorkspacePrice(tx, workspaceId, model, values);
        await writeAudit(tx, {
          workspaceId,
          action: 'price.set',
          actor: actorOf(scope.principal),
          targetType: 'model_price',
          target: model,
          before: before ? { inputPerMillion: Number(before.inputPerMillion), outputPerMillion: Number(before.outputPerMillion) } : null,
          after: { inputPerMillion, outputPerMillion },
          requestId: scope.requestId,
        });
        return saved;
      });
      cache.evict(workspaceId);
      return toModelPrice(row);
    },
  };
}
