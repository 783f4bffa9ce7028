import { withFilter } from 'graphql-subscriptions';
import type { SubscriptionResolvers } from '../../generated/resolvers-types';
import { assertCanReadTests, getTest } from '../../../experiments/ab-test-queries';
import type { ABTestUpdatedPayload } from '../../../pubsub/topics';
import { assertPromptName } from '../../../shared/validate';
import type { GraphQLContext } from '../../context';
import { scopeOf } from '../../scope';

/** Authorized before the iterator exists; filtered to the subscriber's workspace (and prompt); each event loads the test through the service. */
export const abTestUpdated: NonNullable<SubscriptionResolvers['abTestUpdated']> = {
  subscribe: (_parent, { promptName }, ctx) => {
    const scope = scopeOf(ctx);
    assertCanReadTests(scope);
    if (promptName != null) assertPromptName(promptName, 'promptName');
    const iterate = withFilter(
      () => ctx.services.bus.engine.asyncIterableIterator<ABTestUpdatedPayload>('AB_TEST_UPDATED'),
      (p?: ABTestUpdatedPayload) => !!p && p.workspaceId === scope.principal.workspaceId && (promptName == null || p.promptName === promptName),
    );
    return iterate(undefined, {}, ctx, undefined as never) as AsyncIterable<ABTestUpdatedPayload> as never;
  },
  resolve: async (payload: ABTestUpdatedPayload, _args: unknown, ctx: GraphQLContext) =>
    (await getTest(ctx.services.experiments, scopeOf(ctx), payload.abTestId))!,
};
