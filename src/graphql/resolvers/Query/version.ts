import type { QueryResolvers } from '../../generated/resolvers-types';
import { getVersion } from '../../../prompts/version-service';
import { scopeOf } from '../../scope';

export const version: NonNullable<QueryResolvers['version']> = (_parent, { id }, ctx) => getVersion(ctx.services.prompts, scopeOf(ctx), id);
