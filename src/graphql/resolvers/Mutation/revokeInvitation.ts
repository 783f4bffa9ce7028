import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const revokeInvitation: NonNullable<MutationResolvers['revokeInvitation']> = (_parent, { id }, ctx) =>
  ctx.services.people.invitations.revokeInvitation(scopeOf(ctx), id);
