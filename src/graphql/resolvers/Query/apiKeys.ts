import type { QueryResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const apiKeys: NonNullable<QueryResolvers['apiKeys']> = (_parent, _args, ctx) => ctx.services.keys.listApiKeys(scopeOf(ctx));
