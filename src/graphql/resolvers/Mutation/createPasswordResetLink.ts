import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const createPasswordResetLink: NonNullable<MutationResolvers['createPasswordResetLink']> = async (_parent, { userId }, ctx) =>
  (await ctx.services.people.passwordResets.createPasswordResetLink(scopeOf(ctx), ctx.baseUrl, userId)).url;
