import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const setMemberRole: NonNullable<MutationResolvers['setMemberRole']> = (_parent, { userId, role }, ctx) =>
  ctx.services.people.members.setMemberRole(scopeOf(ctx), userId, role);
