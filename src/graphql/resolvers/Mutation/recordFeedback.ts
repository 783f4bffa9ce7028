import type { MutationResolvers } from '../../generated/resolvers-types';
import { assertCan } from '../../../auth/permissions';
import { NotImplementedError } from '../../../errors';
import { scopeOf } from '../../scope';

export const recordFeedback: NonNullable<MutationResolvers['recordFeedback']> = (_parent, _args, ctx) => {
  assertCan(scopeOf(ctx).principal, 'metrics:write'); // authorization first, also while the feature is missing
  throw new NotImplementedError('Call metrics');
};
