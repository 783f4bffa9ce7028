import type { SubscriptionResolvers } from '../../generated/resolvers-types';
import { assertCan } from '../../../auth/permissions';
import { getAlert } from '../../../alerts/alert-service';
import { liveSubscription } from '../../live-subscription';
import { scopeOf } from '../../scope';

/** Authorized before the iterator exists; filtered to the subscriber's workspace; each event loads the alert through the service. */
export const alertUpdated: NonNullable<SubscriptionResolvers['alertUpdated']> = liveSubscription('ALERT_UPDATED', {
  accept: (_args: unknown, ctx) => {
    const scope = scopeOf(ctx);
    assertCan(scope.principal, 'alert:read');
    return (p) => p.workspaceId === scope.principal.workspaceId;
  },
  resolve: async (payload, _args, ctx) => (await getAlert(ctx.services.alerts, scopeOf(ctx), payload.alertId))!,
});
