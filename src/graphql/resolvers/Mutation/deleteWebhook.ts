import type { MutationResolvers } from '../../generated/resolvers-types';
import { deleteWebhook as run } from '../../../webhooks/webhook-service';
import { scopeOf } from '../../scope';

export const deleteWebhook: NonNullable<MutationResolvers['deleteWebhook']> = (_parent, { id }, ctx) => run(ctx.services.webhooks, scopeOf(ctx), id);
