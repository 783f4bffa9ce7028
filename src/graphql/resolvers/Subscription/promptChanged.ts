import { withFilter } from 'graphql-subscriptions';
import type { SubscriptionResolvers } from '../../generated/resolvers-types';
import { can } from '../../../auth/permissions';
import { ForbiddenError } from '../../../errors';
import type { PromptChangedPayload } from '../../../pubsub/topics';
import { assertPromptName } from '../../../shared/validate';
import { scopeOf } from '../../scope';

/** Authorized before the iterator exists; every event is filtered to the subscriber's workspace. */
export const promptChanged: NonNullable<SubscriptionResolvers['promptChanged']> = {
  subscribe: (_parent, { name }, ctx) => {
    const { principal } = scopeOf(ctx);
    if (!can(principal, 'prompt:read') && !can(principal, 'prompt:resolve')) throw new ForbiddenError('This key may not read prompts.');
    if (name != null) assertPromptName(name, 'name');
    const iterate = withFilter(
      () => ctx.services.bus.engine.asyncIterableIterator<PromptChangedPayload>('PROMPT_CHANGED'),
      (payload?: PromptChangedPayload) => !!payload && payload.workspaceId === principal.workspaceId && (name == null || payload.promptName === name),
    );
    return iterate(undefined, {}, ctx, undefined as never) as AsyncIterable<PromptChangedPayload> as never;
  },
  resolve: (payload: PromptChangedPayload) => payload,
};
