import type { MutationResolvers } from '../../generated/resolvers-types';
import { NotImplementedError } from '../../../errors';
import { scopeOf } from '../../scope';

export const setModelPrice: NonNullable<MutationResolvers['setModelPrice']> = (_parent, _args, ctx) => {
  scopeOf(ctx);
  throw new NotImplementedError('The model price table');
};
