import type { MutationResolvers } from '../../generated/resolvers-types';
import { startABTest as start } from '../../../experiments/ab-test-service';
import { scopeOf } from '../../scope';

export const startABTest: NonNullable<MutationResolvers['startABTest']> = (_parent, { input }, ctx) => start(ctx.services.experiments, scopeOf(ctx), input);
