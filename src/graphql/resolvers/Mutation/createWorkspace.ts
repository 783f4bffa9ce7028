import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const createWorkspace: NonNullable<MutationResolvers['createWorkspace']> = async (_parent, { name }, ctx) => {
  const { workspace, key, keyRow } = await ctx.services.keys.createWorkspace(scopeOf(ctx), name);
  return { workspace, adminKey: key, adminApiKey: keyRow };
};
