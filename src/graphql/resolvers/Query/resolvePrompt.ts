import type { QueryResolvers } from '../../generated/resolvers-types';
import { optionalText } from '../../../shared/validate';
import { scopeOf } from '../../scope';

export const resolvePrompt: NonNullable<QueryResolvers['resolvePrompt']> = (_parent, args, ctx) => {
  const scope = scopeOf(ctx);
  optionalText(args.requestId, 'requestId', 200); // hashed for A/B assignment, and bounded like every stored id
  return ctx.services.resolution.resolve(scope, args);
};
