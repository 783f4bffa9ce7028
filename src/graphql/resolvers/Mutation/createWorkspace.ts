import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const createWorkspace: NonNullable<MutationResolvers['createWorkspace']> = async (_parent, { name }, ctx) => {
  const scope = scopeOf(ctx);
  const { workspace, key, keyRow } = await ctx.services.workspaces.createWorkspace(scope, name);
  // A person joined it as ADMIN: their cached session sees the new workspace at once, on every instance.
  if (scope.principal.user) ctx.services.people.members.announce(workspace.id, scope.principal.user.id);
  return { workspace, adminKey: key, adminApiKey: keyRow };
};
