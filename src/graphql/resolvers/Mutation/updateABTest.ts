import type { MutationResolvers } from '../../generated/resolvers-types';
import { updateABTest as update } from '../../../experiments/ab-test-service';
import { scopeOf } from '../../scope';

export const updateABTest: NonNullable<MutationResolvers['updateABTest']> = (_parent, args, ctx) => update(ctx.services.experiments, scopeOf(ctx), args);
