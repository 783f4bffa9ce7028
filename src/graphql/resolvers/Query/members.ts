import type { QueryResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const members: NonNullable<QueryResolvers['members']> = (_parent, _args, ctx) => ctx.services.people.members.listMembers(scopeOf(ctx));
