/** Prompt.viewerCan…: which actions the caller may take on a prompt, so a frontend shows only those buttons. */
import type { PromptResolvers } from '../../generated/resolvers-types';
import { can } from '../../../auth/permissions';
import { labelMoveAction } from '../../../prompts/label-moves';
import { LABEL_NAME } from '../../../shared/validate';
import { scopeOf } from '../../scope';
import { LATEST_LABEL, DEFAULT_PROTECTED_LABELS } from '../../../shared/labels';

type ViewerCan = Pick<PromptResolvers, 'viewerCanEdit' | 'viewerCanMoveLabel' | 'viewerCanPublish' | 'viewerCanRollback' | 'viewerCanManageTests'>;

export const promptViewerCan = {
  viewerCanEdit: (_p, _a, ctx) => can(scopeOf(ctx).principal, 'prompt:write'),
  viewerCanMoveLabel: async (p, { label }, ctx) => {
    const { principal } = scopeOf(ctx);
    if (!LABEL_NAME.test(label) || label === LATEST_LABEL) return false; // never settable, by anyone
    const workspace = await ctx.loaders.workspace.load(p.workspaceId);
    return can(principal, labelMoveAction(workspace?.protectedLabels ?? DEFAULT_PROTECTED_LABELS, label));
  },
  viewerCanPublish: async (p, _a, ctx) => {
    const workspace = await ctx.loaders.workspace.load(p.workspaceId);
    return can(scopeOf(ctx).principal, labelMoveAction(workspace?.protectedLabels ?? DEFAULT_PROTECTED_LABELS, 'production'));
  },
  viewerCanRollback: (_p, _a, ctx) => can(scopeOf(ctx).principal, 'prompt:rollback'),
  viewerCanManageTests: (_p, _a, ctx) => can(scopeOf(ctx).principal, 'abtest:manage'),
} satisfies ViewerCan;
