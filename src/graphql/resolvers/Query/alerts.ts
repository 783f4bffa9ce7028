import type { QueryResolvers } from '../../generated/resolvers-types';
import { listAlerts } from '../../../alerts/alert-service';
import { scopeOf } from '../../scope';

export const alerts: NonNullable<QueryResolvers['alerts']> = (_parent, _args, ctx) => listAlerts(ctx.services.alerts, scopeOf(ctx));
