import type { PrincipalResolvers } from '../../generated/resolvers-types';

export const Principal: PrincipalResolvers = {
  workspace: async (p, _a, ctx) => (await ctx.loaders.workspace.load(p.workspaceId))!,
};
