import type { SubscriptionResolvers } from '../../generated/resolvers-types';
import { assertCan } from '../../../auth/permissions';
import { NotImplementedError } from '../../../errors';
import { scopeOf } from '../../scope';

export const metricsUpdated: NonNullable<SubscriptionResolvers['metricsUpdated']> = {
  subscribe: (_parent, _args, ctx) => {
    assertCan(scopeOf(ctx).principal, 'metrics:read'); // authorization first, also while the feature is missing
    throw new NotImplementedError('Metrics');
  },
};
