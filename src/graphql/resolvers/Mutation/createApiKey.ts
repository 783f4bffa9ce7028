import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const createApiKey: NonNullable<MutationResolvers['createApiKey']> = async (_parent, { input }, ctx) => {
  const { key, row } = await ctx.services.keys.createApiKey(scopeOf(ctx), input);
  return { key, apiKey: row };
};
