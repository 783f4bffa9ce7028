import type { MutationResolvers } from '../../generated/resolvers-types';
import { scopeOf } from '../../scope';

export const recordFeedback: NonNullable<MutationResolvers['recordFeedback']> = (_parent, { callId, score, comment }, ctx) =>
  ctx.services.metrics.recordFeedback(scopeOf(ctx), callId, score, comment);
