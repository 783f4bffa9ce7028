import type { QueryResolvers } from '../../generated/resolvers-types';
import { versionDiff as diff } from '../../../prompts/diff';
import { scopeOf } from '../../scope';

export const versionDiff: NonNullable<QueryResolvers['versionDiff']> = (_parent, { fromVersionId, toVersionId }, ctx) =>
  diff(ctx.services.prompts, scopeOf(ctx), fromVersionId, toVersionId);
