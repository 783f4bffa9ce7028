import type { QueryResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const promptRevisions: NonNullable<QueryResolvers['promptRevisions']> = (_parent, { names }, ctx) =>
  ctx.services.clientBundles.revisions(scopeOf(ctx), names);
