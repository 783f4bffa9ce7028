import type { PromptChangeEventResolvers } from '../../generated/resolvers-types';

/** The payload carries ids; the prompt and version load once per event for every subscriber of its workspace. */
export const PromptChangeEvent = {
  prompt: (e, _a, ctx) => ctx.services.eventObjects.prompt(e),
  version: (e, _a, ctx) => ctx.services.eventObjects.version(e),
  at: (e) => e.at,
} satisfies PromptChangeEventResolvers;
