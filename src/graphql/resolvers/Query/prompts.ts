import type { QueryResolvers } from '../../generated/resolvers-types';
import { listPrompts } from '../../../prompts/prompt-service';
import { scopeOf } from '../../scope';

export const prompts: NonNullable<QueryResolvers['prompts']> = (_parent, { filter, first, after }, ctx) =>
  listPrompts(ctx.services.prompts, scopeOf(ctx), filter ?? {}, first, after);
