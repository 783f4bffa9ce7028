import type { QueryResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const sessions: NonNullable<QueryResolvers['sessions']> = (_parent, _args, ctx) => ctx.services.people.sessions.listSessions(scopeOf(ctx));
