import type { MutationResolvers } from '../../generated/resolvers-types';
import { stopABTest as stop } from '../../../experiments/ab-test-service';
import { scopeOf } from '../../scope';

export const stopABTest: NonNullable<MutationResolvers['stopABTest']> = (_parent, args, ctx) => stop(ctx.services.experiments, scopeOf(ctx), args);
