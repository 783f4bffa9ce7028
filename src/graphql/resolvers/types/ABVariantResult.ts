import type { AbVariantResultResolvers } from '../../generated/resolvers-types';

export const ABVariantResult = {
  version: async (v, _a, ctx) => (await ctx.loaders.version.load(v.versionId))!,
} satisfies AbVariantResultResolvers;
