import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const reportClientState: NonNullable<MutationResolvers['reportClientState']> = (_parent, { input }, ctx) =>
  ctx.services.fleet.report(scopeOf(ctx), input);
