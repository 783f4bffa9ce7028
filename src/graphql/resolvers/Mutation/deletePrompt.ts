import type { MutationResolvers } from '../../generated/resolvers-types';
import { deletePrompt as remove } from '../../../prompts/prompt-delete';
import { scopeOf } from '../../scope';

export const deletePrompt: NonNullable<MutationResolvers['deletePrompt']> = (_parent, { name, confirmName, expectedRevision }, ctx) =>
  remove(ctx.services.prompts, scopeOf(ctx), name, confirmName, expectedRevision);
