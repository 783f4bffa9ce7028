import type { InvitationResolvers } from '../../generated/resolvers-types';
import { invitationStatus } from '../../../people/invitation-service';

export const Invitation = {
  email: (i) => i.email ?? '',
  status: (i) => invitationStatus(i),
  invitedBy: async (i, _a, ctx) => {
    const person = i.createdById ? await ctx.loaders.user.load(i.createdById) : null;
    return person ? { id: person.id, name: person.name, email: person.email } : { id: i.createdById, name: i.createdByName };
  },
  acceptedBy: (i, _a, ctx) => (i.acceptedById ? ctx.loaders.user.load(i.acceptedById) : null),
} satisfies InvitationResolvers;
