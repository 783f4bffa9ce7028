import type { QueryResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const modelPrices: NonNullable<QueryResolvers['modelPrices']> = (_parent, _args, ctx) => ctx.services.metrics.modelPrices(scopeOf(ctx));
