import type { MutationResolvers } from '../../generated/resolvers-types';
import { deleteAlert as run } from '../../../alerts/alert-service';
import { scopeOf } from '../../scope';

export const deleteAlert: NonNullable<MutationResolvers['deleteAlert']> = (_parent, { id }, ctx) => run(ctx.services.alerts, scopeOf(ctx), id);
