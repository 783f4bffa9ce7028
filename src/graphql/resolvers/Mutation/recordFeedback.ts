import type { MutationResolvers } from '../../generated/resolvers-types';
import { NotImplementedError } from '../../../errors';
import { scopeOf } from '../../scope';

export const recordFeedback: NonNullable<MutationResolvers['recordFeedback']> = (_parent, _args, ctx) => {
  scopeOf(ctx);
  throw new NotImplementedError('Call metrics');
};
