import type { WebhookResolvers } from '../../generated/resolvers-types';
import { listDeliveries } from '../../../webhooks/webhook-service';

export const Webhook = {
  deliveries: (endpoint, args, ctx) => listDeliveries(ctx.services.webhooks, endpoint, args),
} satisfies WebhookResolvers;
