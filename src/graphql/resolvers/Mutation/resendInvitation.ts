import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const resendInvitation: NonNullable<MutationResolvers['resendInvitation']> = async (_parent, { id }, ctx) => {
  const scope = scopeOf(ctx);
  const workspace = await ctx.loaders.workspace.load(scope.principal.workspaceId);
  return ctx.services.people.invitations.resendInvitation(scope, ctx.baseUrl, id, workspace?.name ?? '');
};
