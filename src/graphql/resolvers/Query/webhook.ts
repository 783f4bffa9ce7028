import type { QueryResolvers } from '../../generated/resolvers-types';
import { getWebhook } from '../../../webhooks/webhook-service';
import { scopeOf } from '../../scope';

export const webhook: NonNullable<QueryResolvers['webhook']> = (_parent, { id }, ctx) => getWebhook(ctx.services.webhooks, scopeOf(ctx), id);
