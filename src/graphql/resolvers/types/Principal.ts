import type { PrincipalResolvers } from '../../generated/resolvers-types';

export const Principal = {
  workspace: async (p, _a, ctx) => (await ctx.loaders.workspace.load(p.workspaceId))!,
  user: async (p, _a, ctx) => (p.user ? ctx.loaders.user.load(p.user.id) : null),
  // A session sees every workspace of the person; a personal key only its own workspace's membership.
  memberships: async (p, _a, ctx) => {
    if (!p.user) return [];
    const all = await ctx.services.people.membershipsOf(p.user.id);
    return p.sessionId ? all : all.filter((m) => m.workspaceId === p.workspaceId);
  },
} satisfies PrincipalResolvers;
