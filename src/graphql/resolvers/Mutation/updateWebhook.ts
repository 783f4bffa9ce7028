import type { MutationResolvers } from '../../generated/resolvers-types';
import { updateWebhook as run } from '../../../webhooks/webhook-service';
import { scopeOf } from '../../scope';

export const updateWebhook: NonNullable<MutationResolvers['updateWebhook']> = (_parent, { id, input }, ctx) =>
  run(ctx.services.webhooks, scopeOf(ctx), id, input);
