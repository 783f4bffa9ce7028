import type { QueryResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const clientPrompts: NonNullable<QueryResolvers['clientPrompts']> = (_parent, { names }, ctx) => ctx.services.clientBundles.bundle(scopeOf(ctx), names);
