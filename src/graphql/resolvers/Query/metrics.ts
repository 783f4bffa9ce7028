import type { QueryResolvers } from '../../generated/resolvers-types';
import { NotImplementedError } from '../../../errors';
import { scopeOf } from '../../scope';

export const metrics: NonNullable<QueryResolvers['metrics']> = (_parent, _args, ctx) => {
  scopeOf(ctx);
  throw new NotImplementedError('Metrics');
};
