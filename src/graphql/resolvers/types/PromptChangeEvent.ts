import type { PromptChangeEventResolvers } from '../../generated/resolvers-types';

/** The payload carries ids; the objects load through the subscriber's own (workspace-scoped) loaders. */
export const PromptChangeEvent: PromptChangeEventResolvers = {
  prompt: (e, _a, ctx) => ctx.loaders.prompt.load(e.promptId),
  version: (e, _a, ctx) => (e.versionId ? ctx.loaders.version.load(e.versionId) : null),
  at: (e) => e.at,
};
