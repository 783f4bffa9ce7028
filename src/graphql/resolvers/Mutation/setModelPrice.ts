import type { MutationResolvers } from '../../generated/resolvers-types';
import { assertCan } from '../../../auth/permissions';
import { NotImplementedError } from '../../../errors';
import { scopeOf } from '../../scope';

export const setModelPrice: NonNullable<MutationResolvers['setModelPrice']> = (_parent, _args, ctx) => {
  assertCan(scopeOf(ctx).principal, 'price:manage'); // authorization first, also while the feature is missing
  throw new NotImplementedError('The model price table');
};
