import { withFilter } from 'graphql-subscriptions';
import type { SubscriptionResolvers } from '../../generated/resolvers-types';
import type { GraphQLContext } from '../../context';
import { can } from '../../../auth/permissions';
import { ForbiddenError } from '../../../errors';
import { createRevisionGate } from '../../../pubsub/revision-gate';
import type { PromptChangedPayload } from '../../../pubsub/topics';
import { assertPromptName } from '../../../shared/validate';
import { createLoaders } from '../../loaders';
import { scopeOf } from '../../scope';

/**
 * Authorized before the iterator exists; every event is filtered to the subscriber's workspace (and
 * prompt), and per prompt only a newer revision than the last delivered passes.
 */
export const promptChanged: NonNullable<SubscriptionResolvers['promptChanged']> = {
  subscribe: (_parent, { name }, ctx) => {
    const { principal } = scopeOf(ctx);
    if (!can(principal, 'prompt:read') && !can(principal, 'prompt:resolve')) throw new ForbiddenError('This key may not read prompts.');
    if (name != null) assertPromptName(name, 'name');
    const isNewer = createRevisionGate();
    const iterate = withFilter(
      () => ctx.services.bus.engine.asyncIterableIterator<PromptChangedPayload>('PROMPT_CHANGED'),
      (p?: PromptChangedPayload) =>
        !!p && p.workspaceId === principal.workspaceId && (name == null || p.promptName === name) && isNewer(p.promptId, p.revision),
    );
    return iterate(undefined, {}, ctx, undefined as never) as AsyncIterable<PromptChangedPayload> as never;
  },
  // The subscription's context lives as long as the socket: fresh loaders per event, so nested
  // fields show the state after this change, not what the first event cached.
  resolve: (payload: PromptChangedPayload, _args: unknown, ctx: GraphQLContext) => {
    ctx.loaders = createLoaders(ctx.services.db, scopeOf(ctx).principal.workspaceId);
    return payload;
  },
};
