import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const setProtectedLabels: NonNullable<MutationResolvers['setProtectedLabels']> = (_parent, { labels }, ctx) =>
  ctx.services.workspaces.setProtectedLabels(scopeOf(ctx), labels);
