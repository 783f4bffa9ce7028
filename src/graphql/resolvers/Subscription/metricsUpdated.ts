import { withFilter } from 'graphql-subscriptions';
import type { SubscriptionResolvers } from '../../generated/resolvers-types';
import { UPDATE_INTERVAL_MS } from '../../../metrics/updates';
import type { MetricsUpdatedPayload } from '../../../pubsub/topics';
import type { GraphQLContext } from '../../context';
import { scopeOf } from '../../scope';

/**
 * Authorized before the iterator exists; events are filtered to the subscriber's workspace and
 * prompt, and to one per version per second for this subscriber (events from several instances
 * included); each is resolved through the service, so it carries what a query would return.
 */
export const metricsUpdated: NonNullable<SubscriptionResolvers['metricsUpdated']> = {
  subscribe: (_parent, { promptName }, ctx) => {
    const scope = scopeOf(ctx);
    ctx.services.metrics.assertCanWatch(scope, promptName);
    const delivered = new Map<string, number>();
    const iterate = withFilter(
      () => ctx.services.bus.engine.asyncIterableIterator<MetricsUpdatedPayload>('METRICS_UPDATED'),
      (payload?: MetricsUpdatedPayload) => {
        if (!payload || payload.workspaceId !== scope.principal.workspaceId || payload.promptName !== promptName) return false;
        const now = Date.now();
        if (now - (delivered.get(payload.versionId) ?? 0) < UPDATE_INTERVAL_MS) return false;
        delivered.set(payload.versionId, now);
        return true;
      },
    );
    return iterate(undefined, {}, ctx, undefined as never) as AsyncIterable<MetricsUpdatedPayload> as never;
  },
  resolve: (payload: MetricsUpdatedPayload, _args: unknown, ctx: GraphQLContext) => ctx.services.metrics.updateFor(scopeOf(ctx), payload),
};
