import { withFilter } from 'graphql-subscriptions';
import type { SubscriptionResolvers } from '../../generated/resolvers-types';
import { assertCan } from '../../../auth/permissions';
import { getAlert } from '../../../alerts/alert-service';
import type { AlertUpdatedPayload } from '../../../pubsub/topics';
import type { GraphQLContext } from '../../context';
import { scopeOf } from '../../scope';

/** Authorized before the iterator exists; filtered to the subscriber's workspace; each event loads the alert through the service. */
export const alertUpdated: NonNullable<SubscriptionResolvers['alertUpdated']> = {
  subscribe: (_parent, _args, ctx) => {
    const scope = scopeOf(ctx);
    assertCan(scope.principal, 'alert:read');
    const iterate = withFilter(
      () => ctx.services.bus.engine.asyncIterableIterator<AlertUpdatedPayload>('ALERT_UPDATED'),
      (p?: AlertUpdatedPayload) => !!p && p.workspaceId === scope.principal.workspaceId,
    );
    return iterate(undefined, {}, ctx, undefined as never) as AsyncIterable<AlertUpdatedPayload> as never;
  },
  resolve: async (payload: AlertUpdatedPayload, _args: unknown, ctx: GraphQLContext) => (await getAlert(ctx.services.alerts, scopeOf(ctx), payload.alertId))!,
};
