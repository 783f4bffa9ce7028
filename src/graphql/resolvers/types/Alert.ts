import type { AlertResolvers } from '../../generated/resolvers-types';
import { alertHistory } from '../../../alerts/alert-service';

export const Alert = {
  history: (alert, { first }, ctx) => alertHistory(ctx.services.alerts, alert, first),
} satisfies AlertResolvers;
