import type { QueryResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const metrics: NonNullable<QueryResolvers['metrics']> = (_parent, { filter, groupBy, bucket }, ctx) =>
  ctx.services.metrics.metrics(scopeOf(ctx), filter, groupBy, bucket);
