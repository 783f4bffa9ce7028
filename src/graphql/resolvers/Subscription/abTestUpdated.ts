import type { SubscriptionResolvers } from '../../generated/resolvers-types';
import { assertCanReadTests, getTest } from '../../../experiments/ab-test-queries';
import { assertPromptName } from '../../../shared/validate';
import { liveSubscription } from '../../live-subscription';
import { scopeOf } from '../../scope';

/** Authorized before the iterator exists; filtered to the subscriber's workspace (and prompt); each event loads the test through the service. */
export const abTestUpdated: NonNullable<SubscriptionResolvers['abTestUpdated']> = liveSubscription('AB_TEST_UPDATED', {
  accept: ({ promptName }: { promptName?: string | null }, ctx) => {
    const scope = scopeOf(ctx);
    assertCanReadTests(scope);
    if (promptName != null) assertPromptName(promptName, 'promptName');
    return (p) => p.workspaceId === scope.principal.workspaceId && (promptName == null || p.promptName === promptName);
  },
  resolve: async (payload, _args, ctx) => (await getTest(ctx.services.experiments, scopeOf(ctx), payload.abTestId))!,
});
