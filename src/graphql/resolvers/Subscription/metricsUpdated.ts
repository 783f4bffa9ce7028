import type { SubscriptionResolvers } from '../../generated/resolvers-types';
import { NotImplementedError } from '../../../errors';
import { scopeOf } from '../../scope';

export const metricsUpdated: NonNullable<SubscriptionResolvers['metricsUpdated']> = {
  subscribe: (_parent, _args, ctx) => {
    scopeOf(ctx);
    throw new NotImplementedError('Metrics');
  },
};
