import type { AbVariantResolvers } from '../../generated/resolvers-types';

export const ABVariant = {
  version: async (v, _a, ctx) => (await ctx.loaders.version.load(v.versionId))!,
} satisfies AbVariantResolvers;
