import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const changePassword: NonNullable<MutationResolvers['changePassword']> = (_parent, { currentPassword, newPassword }, ctx) =>
  ctx.services.people.sessions.changePassword(scopeOf(ctx), currentPassword, newPassword);
