import type { ActorResolvers } from '../../generated/resolvers-types';

/** A person's email where the actor is a person (ids of keys match no user, so their email is null). */
export const Actor = {
  email: async (a, _args, ctx) => (a.email !== undefined ? a.email : a.id ? ((await ctx.loaders.user.load(a.id))?.email ?? null) : null),
} satisfies ActorResolvers;
