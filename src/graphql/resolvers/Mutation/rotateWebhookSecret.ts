import type { MutationResolvers } from '../../generated/resolvers-types';
import { rotateWebhookSecret as run } from '../../../webhooks/webhook-service';
import { scopeOf } from '../../scope';

export const rotateWebhookSecret: NonNullable<MutationResolvers['rotateWebhookSecret']> = (_parent, { id }, ctx) =>
  run(ctx.services.webhooks, scopeOf(ctx), id);
