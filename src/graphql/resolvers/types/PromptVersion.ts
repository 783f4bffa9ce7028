import type { PromptVersionResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';
import { LATEST_LABEL } from '../../../shared/labels';

export const PromptVersion = {
  prompt: async (v, _a, ctx) => (await ctx.loaders.prompt.load(v.promptId))!,
  labels: async (v, _a, ctx) => {
    const [rows, prompt] = await Promise.all([ctx.loaders.labelsOfPrompt.load(v.promptId), ctx.loaders.prompt.load(v.promptId)]);
    const latest = prompt?.versionCount ?? 0;
    const names = rows
      .filter((l) => l.versionId === v.id)
      .map((l) => l.name)
      .sort();
    return latest === v.number ? [...names, LATEST_LABEL] : names;
  },
  variables: (v) => v.variables.map((x) => ({ ...x, values: x.values ?? null, default: x.default ?? null, description: x.description ?? null })),
  createdBy: (v) => ({ id: v.createdById, name: v.createdByName }),
  metrics: (v, { from, to }, ctx) => {
    ctx.services.metrics.assertCanRead(scopeOf(ctx));
    return ctx.loaders.metrics('version', from, to).load(v.id);
  },
} satisfies PromptVersionResolvers;
