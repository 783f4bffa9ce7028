import type { QueryResolvers } from '../../generated/resolvers-types';
import { NotImplementedError } from '../../../errors';
import { scopeOf } from '../../scope';

export const modelPrices: NonNullable<QueryResolvers['modelPrices']> = (_parent, _args, ctx) => {
  scopeOf(ctx);
  throw new NotImplementedError('The model price table');
};
