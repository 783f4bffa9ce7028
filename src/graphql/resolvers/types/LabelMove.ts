import type { LabelMoveResolvers } from '../../generated/resolvers-types';

export const LabelMove = {
  fromVersion: (m, _a, ctx) => (m.fromVersionId ? ctx.loaders.version.load(m.fromVersionId) : null),
  toVersion: (m, _a, ctx) => (m.toVersionId ? ctx.loaders.version.load(m.toVersionId) : null),
  actor: (m) => ({ id: m.actorId, name: m.actorName }),
} satisfies LabelMoveResolvers;
