import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const inviteMember: NonNullable<MutationResolvers['inviteMember']> = async (_parent, { email, role }, ctx) => {
  const scope = scopeOf(ctx);
  const workspace = await ctx.loaders.workspace.load(scope.principal.workspaceId);
  return ctx.services.people.invitations.inviteMember(scope, ctx.baseUrl, email, role, workspace?.name ?? '');
};
