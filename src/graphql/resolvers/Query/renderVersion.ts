import type { QueryResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const renderVersion: NonNullable<QueryResolvers['renderVersion']> = (_parent, { versionId, variables }, ctx) =>
  ctx.services.resolution.renderVersion(scopeOf(ctx), versionId, variables);
