import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const revokeSession: NonNullable<MutationResolvers['revokeSession']> = (_parent, { id }, ctx) =>
  ctx.services.people.sessions.revokeSession(scopeOf(ctx), id);
