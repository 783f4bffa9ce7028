import type { QueryResolvers } from '../../generated/resolvers-types';
import { listWebhooks } from '../../../webhooks/webhook-service';
import { scopeOf } from '../../scope';

export const webhooks: NonNullable<QueryResolvers['webhooks']> = (_parent, _args, ctx) => listWebhooks(ctx.services.webhooks, scopeOf(ctx));
