import type { SubscriptionResolvers } from '../../generated/resolvers-types';
import { can } from '../../../auth/permissions';
import { ForbiddenError } from '../../../errors';
import { createRevisionGate } from '../../../pubsub/revision-gate';
import { assertPromptName } from '../../../shared/validate';
import { liveSubscription } from '../../live-subscription';
import { scopeOf } from '../../scope';

/**
 * Authorized before the iterator exists; every event is filtered to the subscriber's workspace (and
 * prompt), and per prompt only a newer revision than the last delivered passes.
 */
export const promptChanged: NonNullable<SubscriptionResolvers['promptChanged']> = liveSubscription('PROMPT_CHANGED', {
  accept: ({ name }: { name?: string | null }, ctx) => {
    const { principal } = scopeOf(ctx);
    if (!can(principal, 'prompt:read') && !can(principal, 'prompt:resolve')) throw new ForbiddenError('This key may not read prompts.');
    if (name != null) assertPromptName(name, 'name');
    const isNewer = createRevisionGate();
    return (p) => p.workspaceId === principal.workspaceId && (name == null || p.promptName === name) && isNewer(p.promptId, p.revision);
  },
  resolve: (payload) => payload,
});
