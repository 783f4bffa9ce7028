import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const revokeApiKey: NonNullable<MutationResolvers['revokeApiKey']> = (_parent, { id }, ctx) => ctx.services.keys.revokeApiKey(scopeOf(ctx), id);
