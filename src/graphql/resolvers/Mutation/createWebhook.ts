import type { MutationResolvers } from '../../generated/resolvers-types';
import { createWebhook as run } from '../../../webhooks/webhook-service';
import { scopeOf } from '../../scope';

export const createWebhook: NonNullable<MutationResolvers['createWebhook']> = (_parent, { input }, ctx) => run(ctx.services.webhooks, scopeOf(ctx), input);
