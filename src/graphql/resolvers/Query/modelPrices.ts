import type { QueryResolvers } from '../../generated/resolvers-types';
import { assertCan } from '../../../auth/permissions';
import { NotImplementedError } from '../../../errors';
import { scopeOf } from '../../scope';

export const modelPrices: NonNullable<QueryResolvers['modelPrices']> = (_parent, _args, ctx) => {
  assertCan(scopeOf(ctx).principal, 'metrics:read'); // authorization first, also while the feature is missing
  throw new NotImplementedError('The model price table');
};
