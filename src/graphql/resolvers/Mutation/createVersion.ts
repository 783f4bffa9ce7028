import type { MutationResolvers } from '../../generated/resolvers-types';
import { createVersion as create } from '../../../prompts/version-service';
import { toNewVersion } from '../../inputs';
import { scopeOf } from '../../scope';

export const createVersion: NonNullable<MutationResolvers['createVersion']> = (_parent, { input }, ctx) =>
  create(ctx.services.prompts, scopeOf(ctx), { ...toNewVersion(input), promptName: input.promptName, expectedRevision: input.expectedRevision });
