import type { QueryResolvers } from '../../generated/resolvers-types';
import { assertCan } from '../../../auth/permissions';
import { validateTemplate as validate, type VariableDeclaration } from '../../../templates';
import { scopeOf } from '../../scope';

export const validateTemplate: NonNullable<QueryResolvers['validateTemplate']> = (_parent, args, ctx) => {
  assertCan(scopeOf(ctx).principal, 'prompt:read');
  const result = validate({
    template: args.template,
    messages: args.messages,
    systemMessage: args.systemMessage,
    variables: args.variables as VariableDeclaration[] | null | undefined,
  });
  return { ...result, variables: result.variables.map((v) => ({ ...v, values: v.values ?? null, default: v.default ?? null, description: v.description ?? null })) };
};
