import type { AlertResolvers } from '../../generated/resolvers-types';
import { alertHistory } from '../../../alerts/alert-service';

export const Alert: AlertResolvers = {
  history: (alert, { first }, ctx) => alertHistory(ctx.services.alerts, alert, first),
};
