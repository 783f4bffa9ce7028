import type { MutationResolvers } from '../../generated/resolvers-types';
import { redeliverFailedWebhooks as run } from '../../../webhooks/webhook-service';
import { scopeOf } from '../../scope';

export const redeliverFailedWebhooks: NonNullable<MutationResolvers['redeliverFailedWebhooks']> = (_parent, { webhookId, since }, ctx) =>
  run(ctx.services.webhooks, scopeOf(ctx), webhookId, since);
