import type { MutationResolvers } from '../../generated/resolvers-types';
import { createPrompt as create } from '../../../prompts/prompt-service';
import { toNewVersion } from '../../inputs';
import { scopeOf } from '../../scope';

export const createPrompt: NonNullable<MutationResolvers['createPrompt']> = (_parent, { input }, ctx) =>
  create(ctx.services.prompts, scopeOf(ctx), { ...input, version: input.version ? toNewVersion(input.version) : null });
