import type { QueryResolvers } from '../../generated/resolvers-types';
import { validateDraft } from '../../../prompts/content-validation';
import type { VariableDeclaration } from '../../../templates';
import { scopeOf } from '../../scope';

export const validateTemplate: NonNullable<QueryResolvers['validateTemplate']> = async (_parent, args, ctx) => {
  const result = await validateDraft(ctx.services.resolution, scopeOf(ctx), {
    template: args.template,
    messages: args.messages,
    systemMessage: args.systemMessage,
    variables: args.variables as VariableDeclaration[] | null | undefined,
  });
  return {
    ...result,
    variables: result.variables.map((v) => ({ ...v, values: v.values ?? null, default: v.default ?? null, description: v.description ?? null })),
  };
};
