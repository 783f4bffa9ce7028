import type { MutationResolvers } from '../../generated/resolvers-types';
import { assertCan } from '../../../auth/permissions';
import { NotImplementedError } from '../../../errors';
import { scopeOf } from '../../scope';

export const stopABTest: NonNullable<MutationResolvers['stopABTest']> = (_parent, _args, ctx) => {
  assertCan(scopeOf(ctx).principal, 'abtest:manage'); // authorization first, also while the feature is missing
  throw new NotImplementedError('A/B testing');
};
