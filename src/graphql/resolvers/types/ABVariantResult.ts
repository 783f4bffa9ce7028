import type { AbVariantResultResolvers } from '../../generated/resolvers-types';

export const ABVariantResult: AbVariantResultResolvers = {
  version: async (v, _a, ctx) => (await ctx.loaders.version.load(v.versionId))!,
};
