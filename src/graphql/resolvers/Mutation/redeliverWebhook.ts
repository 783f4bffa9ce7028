import type { MutationResolvers } from '../../generated/resolvers-types';
import { redeliverWebhook as run } from '../../../webhooks/webhook-service';
import { scopeOf } from '../../scope';

export const redeliverWebhook: NonNullable<MutationResolvers['redeliverWebhook']> = (_parent, { deliveryId }, ctx) =>
  run(ctx.services.webhooks, scopeOf(ctx), deliveryId);
