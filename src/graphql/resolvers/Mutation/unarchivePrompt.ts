import type { MutationResolvers } from '../../generated/resolvers-types';
import { setArchived } from '../../../prompts/prompt-service';
import { scopeOf } from '../../scope';

export const unarchivePrompt: NonNullable<MutationResolvers['unarchivePrompt']> = (_parent, { name, expectedRevision }, ctx) =>
  setArchived(ctx.services.prompts, scopeOf(ctx), name, false, expectedRevision);
