/**
 * The metrics service: ingestion, prices, reads from the rollups (authorized and validated here),
 * metricsUpdated events and raw-call retention, built once by createApp.
 */
import { assertCan } from '../auth/permissions';
import type { Db } from '../db/client';
import type { VersionRow } from '../db/schema';
import { BadInputError, NotFoundError } from '../errors';
import type { Logger } from '../logger';
import type { EventBus } from '../pubsub/event-bus';
import type { MetricsUpdatedPayload } from '../pubsub/topics';
import { findVersion } from '../prompts/version-store';
import type { RequestScope } from '../shared/request-scope';
import { assertPromptName, assertText, assertUuid } from '../shared/validate';
import { createIngestion } from './ingest';
import type { VariantDeriver } from './variant';
import { createPriceBook } from './prices';
import { queryMetrics, totalMetrics, type MetricsDimension, type MetricsRow, type RollupFilter, type TimeBucket } from './rollup-store';
import { startRetention } from './retention';
import type { VersionMetrics } from './summarize';
import { createMetricsUpdates } from './updates';

/** What a caller may filter on: the rollup filter without the workspace (always the caller's) and internal ids. */
export type MetricsFilterInput = Omit<RollupFilter, 'workspaceId' | 'promptId' | 'promptIds'>;

export type MetricsUpdate = { promptName: string; version: VersionRow; metrics: VersionMetrics; at: Date };

const MAX_FILTER_LIST = 100;

function assertList(list: string[], field: string): void {
  if (list.length > MAX_FILTER_LIST) throw new BadInputError(field, `"${field}" holds at most ${MAX_FILTER_LIST} entries.`);
}

export type MetricsService = ReturnType<typeof createMetricsService>;

export function createMetricsService(deps: { db: Db; bus: EventBus; logger: Logger; retentionDays: number; deriveVariant?: VariantDeriver }) {
  const { db } = deps;
  const prices = createPriceBook(db);
  const updates = createMetricsUpdates(deps.bus);
  const ingestion = createIngestion({ db, prices, updates, deriveVariant: deps.deriveVariant });
  const retention = startRetention(db, deps.retentionDays, deps.logger);

  return {
    recordCall: ingestion.recordCall,
    recordCalls: ingestion.recordCalls,
    recordFeedback: ingestion.recordFeedback,
    modelPrices: prices.list,
    setModelPrice: prices.set,

    async metrics(
      scope: RequestScope,
      filter: MetricsFilterInput,
      groupBy: MetricsDimension[] | null | undefined,
      bucket: TimeBucket | null | undefined,
    ): Promise<MetricsRow[]> {
      assertCan(scope.principal, 'metrics:read');
      if (filter.promptName != null) assertPromptName(filter.promptName, 'filter.promptName');
      if (filter.versionIds) {
        assertList(filter.versionIds, 'filter.versionIds');
        filter = { ...filter, versionIds: filter.versionIds.map((id, i) => assertUuid(id, `filter.versionIds.${i}`)) };
      }
      if (filter.models) {
        assertList(filter.models, 'filter.models');
        filter.models.forEach((m, i) => assertText(m, `filter.models.${i}`, 200));
      }
      const abTestId = filter.abTestId == null ? null : assertUuid(filter.abTestId, 'filter.abTestId');
      return queryMetrics(db, { ...filter, abTestId, workspaceId: scope.principal.workspaceId }, [...new Set(groupBy ?? [])], bucket ?? null);
    },

    /** For batched per-object reads (the GraphQL loaders): authorization only. */
    assertCanRead(scope: RequestScope): void {
      assertCan(scope.principal, 'metrics:read');
    },

    /** Checked before a metricsUpdated subscription starts (authorization and the name). */
    assertCanWatch(scope: RequestScope, promptName: string): void {
      assertCan(scope.principal, 'metrics:read');
      assertPromptName(promptName, 'promptName');
    },

    /** An event as a subscriber sees it: what a query would return now. */
    async updateFor(scope: RequestScope, payload: MetricsUpdatedPayload): Promise<MetricsUpdate> {
      assertCan(scope.principal, 'metrics:read');
      const version = await findVersion(db, scope.principal.workspaceId, payload.versionId);
      if (!version) throw new NotFoundError(`No version with id "${payload.versionId}".`);
      return {
        promptName: payload.promptName,
        version,
        metrics: await totalMetrics(db, { workspaceId: scope.principal.workspaceId, versionIds: [version.id] }),
        at: new Date(payload.at),
      };
    },

    /** Deletes raw calls past retention now (also runs hourly in the background). */
    pruneNow: retention.pruneNow,

    /** Shutdown: flush queued calls, stop timers. */
    async close(): Promise<void> {
      await ingestion.drain();
      retention.stop();
      updates.close();
    },
  };
}
