import type { QueryResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const invitations: NonNullable<QueryResolvers['invitations']> = (_parent, _args, ctx) => ctx.services.people.invitations.listInvitations(scopeOf(ctx));
