import type { MutationResolvers } from '../../generated/resolvers-types';
import { NotImplementedError } from '../../../errors';
import { scopeOf } from '../../scope';

export const updateABTest: NonNullable<MutationResolvers['updateABTest']> = (_parent, _args, ctx) => {
  scopeOf(ctx);
  throw new NotImplementedError('A/B testing');
};
