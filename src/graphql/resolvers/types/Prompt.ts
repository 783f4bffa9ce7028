import type { PromptResolvers } from '../../generated/resolvers-types';
import { listTests, runningTestOn } from '../../../experiments/ab-test-queries';
import { listLabelHistory } from '../../../prompts/label-service';
import { protectedLabelsOf } from '../../../prompts/label-moves';
import { listVersions, versionByNumber } from '../../../prompts/version-service';
import { scopeOf } from '../../scope';
import { promptViewerCan } from './prompt-viewer-can';

export const Prompt = {
  versions: (p, { first, after }, ctx) => listVersions(ctx.services.prompts, p.id, first, after),
  version: (p, { number }, ctx) => versionByNumber(ctx.services.prompts, p.id, number),
  latestVersion: (p, _a, ctx) => ctx.loaders.latestVersion.load(p.id),
  activeVersion: async (p, _a, ctx) => {
    const production = (await ctx.loaders.labelsOfPrompt.load(p.id)).find((l) => l.name === 'production');
    return production ? ctx.loaders.version.load(production.versionId) : null;
  },
  labels: async (p, _a, ctx) => {
    const [rows, protectedLabels] = await Promise.all([ctx.loaders.labelsOfPrompt.load(p.id), protectedLabelsOf(ctx.services.db, p.workspaceId)]);
    return rows.map((l) => ({ ...l, protected: protectedLabels.includes(l.name) })).sort((a, b) => a.name.localeCompare(b.name));
  },
  labelHistory: (p, { label, first }, ctx) => listLabelHistory(ctx.services.prompts, p.id, label, first),
  activeABTest: (p, _a, ctx) => runningTestOn(ctx.services.experiments, p),
  abTests: (p, _a, ctx) => listTests(ctx.services.experiments, p),
  metrics: (p, { from, to }, ctx) => {
    ctx.services.metrics.assertCanRead(scopeOf(ctx));
    return ctx.loaders.metrics('prompt', from, to).load(p.id);
  },
  createdBy: (p) => ({ id: p.createdById, name: p.createdByName }),
  tags: (p) => p.tags,
  ...promptViewerCan,
} satisfies PromptResolvers;
