import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const recordCall: NonNullable<MutationResolvers['recordCall']> = (_parent, { input }, ctx) => ctx.services.metrics.recordCall(scopeOf(ctx), input);
