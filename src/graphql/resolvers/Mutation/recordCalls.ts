import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const recordCalls: NonNullable<MutationResolvers['recordCalls']> = (_parent, { inputs }, ctx) => ctx.services.metrics.recordCalls(scopeOf(ctx), inputs);
