import type { SubscriptionResolvers } from '../../generated/resolvers-types';
import { UPDATE_INTERVAL_MS } from '../../../metrics/updates';
import { liveSubscription } from '../../live-subscription';
import { scopeOf } from '../../scope';

const SLACK_MS = 50;

/**
 * Authorized before the iterator exists; events are filtered to the subscriber's workspace and
 * prompt, and to one per version per second for this subscriber (events from several instances
 * included); each is resolved through the service, so it carries what a query would return.
 */
export const metricsUpdated: NonNullable<SubscriptionResolvers['metricsUpdated']> = liveSubscription('METRICS_UPDATED', {
  accept: ({ promptName }: { promptName: string }, ctx) => {
    const scope = scopeOf(ctx);
    ctx.services.metrics.assertCanWatch(scope, promptName);
    const delivered = new Map<string, number>();
    return (payload) => {
      if (payload.workspaceId !== scope.principal.workspaceId || payload.promptName !== promptName) return false;
      // Spacing by the publisher's timestamps, not arrival times: delivery jitter must never drop an
      // instance's trailing event (the one carrying the final numbers). The slack covers timer rounding.
      const at = Date.parse(payload.at);
      if (at - (delivered.get(payload.versionId) ?? Number.NEGATIVE_INFINITY) < UPDATE_INTERVAL_MS - SLACK_MS) return false;
      delivered.set(payload.versionId, at);
      return true;
    };
  },
  resolve: (payload, _args, ctx) => ctx.services.metrics.updateFor(scopeOf(ctx), payload),
});
