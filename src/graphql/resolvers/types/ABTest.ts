import type { AbTestResolvers } from '../../generated/resolvers-types';
import { testResults } from '../../../experiments/ab-test-queries';
import { scopeOf } from '../../scope';

export const ABTest = {
  prompt: async (t, _a, ctx) => (await ctx.loaders.prompt.load(t.promptId))!,
  variants: (t) => t.variants,
  winner: (t) => t.variants.find((v) => v.key === t.winnerKey) ?? null,
  results: (t, _a, ctx) => testResults(ctx.services.experiments, ctx.services.abRuntime, scopeOf(ctx), t),
  allocation: (t) => t.allocation,
} satisfies AbTestResolvers;
