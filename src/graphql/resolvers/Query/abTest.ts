import type { QueryResolvers } from '../../generated/resolvers-types';
import { getTest } from '../../../experiments/ab-test-queries';
import { scopeOf } from '../../scope';

export const abTest: NonNullable<QueryResolvers['abTest']> = (_parent, { id }, ctx) => getTest(ctx.services.experiments, scopeOf(ctx), id);
