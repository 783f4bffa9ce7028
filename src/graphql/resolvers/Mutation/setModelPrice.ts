import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const setModelPrice: NonNullable<MutationResolvers['setModelPrice']> = (_parent, { model, inputPerMillion, outputPerMillion }, ctx) =>
  ctx.services.metrics.setModelPrice(scopeOf(ctx), model, inputPerMillion, outputPerMillion);
