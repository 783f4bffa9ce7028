import type { QueryResolvers } from '../../generated/resolvers-types';
import { assertCan } from '../../../auth/permissions';
import { NotImplementedError } from '../../../errors';
import { scopeOf } from '../../scope';

export const metrics: NonNullable<QueryResolvers['metrics']> = (_parent, _args, ctx) => {
  assertCan(scopeOf(ctx).principal, 'metrics:read'); // authorization first, also while the feature is missing
  throw new NotImplementedError('Metrics');
};
