import type { SubscriptionResolvers } from '../../generated/resolvers-types';
import { NotImplementedError } from '../../../errors';
import { scopeOf } from '../../scope';

export const abTestUpdated: NonNullable<SubscriptionResolvers['abTestUpdated']> = {
  subscribe: (_parent, _args, ctx) => {
    scopeOf(ctx);
    throw new NotImplementedError('A/B testing');
  },
};
