import type { SessionResolvers } from '../../generated/resolvers-types';

export const Session = {
  current: (s, _a, ctx) => s.id === ctx.principal?.sessionId,
} satisfies SessionResolvers;
