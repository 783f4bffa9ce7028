import type { WebhookDeliveryResolvers } from '../../generated/resolvers-types';
import { deliveryAttempts, deliveryEvent } from '../../../webhooks/webhook-service';
import { bodyOf } from '../../../webhooks/outbox';

export const WebhookDelivery = {
  event: (d) => d.eventType,
  payload: async (d, _args, ctx) => {
    const event = await deliveryEvent(ctx.services.webhooks, d);
    return event ? JSON.parse(bodyOf(event)) : {};
  },
  attemptLog: (d, _args, ctx) => deliveryAttempts(ctx.services.webhooks, d),
} satisfies WebhookDeliveryResolvers;
