import type { MutationResolvers } from '../../generated/resolvers-types';
import { updatePrompt as update } from '../../../prompts/prompt-service';
import { scopeOf } from '../../scope';

export const updatePrompt: NonNullable<MutationResolvers['updatePrompt']> = (_parent, { name, input }, ctx) =>
  update(ctx.services.prompts, scopeOf(ctx), name, input, { description: 'description' in input, tags: 'tags' in input });
