import type { MutationResolvers } from '../../generated/resolvers-types';
import { rollback as roll } from '../../../prompts/label-service';
import { scopeOf } from '../../scope';

export const rollback: NonNullable<MutationResolvers['rollback']> = (_parent, args, ctx) => roll(ctx.services.prompts, scopeOf(ctx), args);
