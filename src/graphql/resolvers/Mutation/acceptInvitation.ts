import type { MutationResolvers } from '../../generated/resolvers-types';
import { ForbiddenError } from '../../../errors';
import { scopeOf } from '../../scope';

/** For a signed-in person (session cookie); people without an account use POST /auth/accept-invitation. */
export const acceptInvitation: NonNullable<MutationResolvers['acceptInvitation']> = async (_parent, { token }, ctx) => {
  const { principal, requestId } = scopeOf(ctx);
  if (!principal.user || !principal.sessionId) throw new ForbiddenError('Sign in to accept an invitation (or use POST /auth/accept-invitation).');
  const membership = await ctx.services.people.invitations.acceptAsPerson(principal.user, token, requestId);
  return { ...principal, workspaceId: membership.workspaceId, role: membership.role };
};
