import type { QueryResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const me: NonNullable<QueryResolvers['me']> = (_parent, _args, ctx) => scopeOf(ctx).principal;
