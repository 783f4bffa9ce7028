import type { LabelResolvers } from '../../generated/resolvers-types';

export const Label = {
  version: async (l, _a, ctx) => (await ctx.loaders.version.load(l.versionId))!,
  updatedBy: (l) => ({ id: l.updatedById, name: l.updatedByName }),
} satisfies LabelResolvers;
