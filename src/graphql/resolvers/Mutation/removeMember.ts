import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const removeMember: NonNullable<MutationResolvers['removeMember']> = (_parent, { userId }, ctx) =>
  ctx.services.people.members.removeMember(scopeOf(ctx), userId);
