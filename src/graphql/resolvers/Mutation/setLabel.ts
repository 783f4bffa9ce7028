import type { MutationResolvers } from '../../generated/resolvers-types';
import { setLabel as set } from '../../../prompts/label-service';
import { scopeOf } from '../../scope';

export const setLabel: NonNullable<MutationResolvers['setLabel']> = (_parent, args, ctx) => set(ctx.services.prompts, scopeOf(ctx), args);
