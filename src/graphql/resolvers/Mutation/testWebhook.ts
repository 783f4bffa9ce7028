import type { MutationResolvers } from '../../generated/resolvers-types';
import { testWebhook as run } from '../../../webhooks/webhook-service';
import { scopeOf } from '../../scope';

export const testWebhook: NonNullable<MutationResolvers['testWebhook']> = (_parent, { id }, ctx) => run(ctx.services.webhooks, scopeOf(ctx), id);
