import type { PromptResolvers } from '../../generated/resolvers-types';
import { listLabelHistory } from '../../../prompts/label-service';
import { listVersions, versionByNumber } from '../../../prompts/version-service';
import { scopeOf } from '../../scope';
import { promptViewerCan } from './prompt-viewer-can';
import { DEFAULT_PROTECTED_LABELS } from '../../../shared/labels';

export const Prompt = {
  versions: (p, { first, after }, ctx) => listVersions(ctx.services.prompts, p.id, first, after),
  version: (p, { number }, ctx) => versionByNumber(ctx.services.prompts, p.id, number),
  latestVersion: (p, _a, ctx) => ctx.loaders.latestVersion.load(p.id),
  activeVersion: async (p, _a, ctx) => {
    const production = (await ctx.loaders.labelsOfPrompt.load(p.id)).find((l) => l.name === 'production');
    return production ? ctx.loaders.version.load(production.versionId) : null;
  },
  labels: async (p, _a, ctx) => {
    const [rows, workspace] = await Promise.all([ctx.loaders.labelsOfPrompt.load(p.id), ctx.loaders.workspace.load(p.workspaceId)]);
    const protectedLabels = workspace?.protectedLabels ?? DEFAULT_PROTECTED_LABELS;
    return rows.map((l) => ({ ...l, protected: protectedLabels.includes(l.name) })).sort((a, b) => a.name.localeCompare(b.name));
  },
  labelHistory: (p, { label, first }, ctx) => listLabelHistory(ctx.services.prompts, p.id, label, first),
  activeABTest: (p, _a, ctx) => ctx.loaders.productionTest.load(p.id),
  abTests: (p, _a, ctx) => ctx.loaders.testsOfPrompt.load(p.id),
  metrics: (p, { from, to }, ctx) => {
    ctx.services.metrics.assertCanRead(scopeOf(ctx));
    return ctx.loaders.metrics('prompt', from, to).load(p.id);
  },
  createdBy: (p) => ({ id: p.createdById, name: p.createdByName }),
  tags: (p) => p.tags,
  ...promptViewerCan,
} satisfies PromptResolvers;
