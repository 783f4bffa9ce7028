import type { MutationResolvers } from '../../generated/resolvers-types';
import { setArchived } from '../../../prompts/prompt-service';
import { scopeOf } from '../../scope';

export const archivePrompt: NonNullable<MutationResolvers['archivePrompt']> = (_parent, { name, expectedRevision }, ctx) =>
  setArchived(ctx.services.prompts, scopeOf(ctx), name, true, expectedRevision);
