import type { MutationResolvers } from '../../generated/resolvers-types';
import { NotImplementedError } from '../../../errors';
import { scopeOf } from '../../scope';

export const recordCall: NonNullable<MutationResolvers['recordCall']> = (_parent, _args, ctx) => {
  scopeOf(ctx);
  throw new NotImplementedError('Call metrics');
};
