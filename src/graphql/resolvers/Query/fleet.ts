import type { QueryResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const fleet: NonNullable<QueryResolvers['fleet']> = (_parent, { promptName }, ctx) => ctx.services.fleet.fleet(scopeOf(ctx), promptName);
