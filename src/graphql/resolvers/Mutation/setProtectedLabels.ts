import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const setProtectedLabels: NonNullable<MutationResolvers['setProtectedLabels']> = (_parent, { labels }, ctx) =>
  ctx.services.keys.setProtectedLabels(scopeOf(ctx), labels);
