import type { QueryResolvers } from '../../generated/resolvers-types';
import { getPrompt } from '../../../prompts/prompt-service';
import { scopeOf } from '../../scope';

export const prompt: NonNullable<QueryResolvers['prompt']> = (_parent, { name }, ctx) => getPrompt(ctx.services.prompts, scopeOf(ctx), name);
