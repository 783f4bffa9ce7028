import type { QueryResolvers } from '../../generated/resolvers-types';
import { NotImplementedError } from '../../../errors';
import { scopeOf } from '../../scope';

export const abTest: NonNullable<QueryResolvers['abTest']> = (_parent, _args, ctx) => {
  scopeOf(ctx);
  throw new NotImplementedError('A/B testing');
};
