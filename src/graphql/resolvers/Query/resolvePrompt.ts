import type { QueryResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const resolvePrompt: NonNullable<QueryResolvers['resolvePrompt']> = (_parent, args, ctx) => ctx.services.resolver.resolve(scopeOf(ctx), args);
