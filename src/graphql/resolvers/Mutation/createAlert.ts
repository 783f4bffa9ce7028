import type { MutationResolvers } from '../../generated/resolvers-types';
import { createAlert as run } from '../../../alerts/alert-service';
import { scopeOf } from '../../scope';

export const createAlert: NonNullable<MutationResolvers['createAlert']> = (_parent, { input }, ctx) => run(ctx.services.alerts, scopeOf(ctx), input);
