import type { MutationResolvers } from '../../generated/resolvers-types';
import { removeLabel as remove } from '../../../prompts/label-service';
import { scopeOf } from '../../scope';

export const removeLabel: NonNullable<MutationResolvers['removeLabel']> = (_parent, args, ctx) => remove(ctx.services.prompts, scopeOf(ctx), args);
