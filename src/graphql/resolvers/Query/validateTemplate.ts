import type { QueryResolvers } from '../../generated/resolvers-types';
import { BadInputError } from '../../../errors';
import { validateDraft } from '../../../prompts/content-validation';
import { getVersion } from '../../../prompts/version-service';
import { contractChanges, type VariableDeclaration } from '../../../templates';
import { scopeOf } from '../../scope';

export const validateTemplate: NonNullable<QueryResolvers['validateTemplate']> = async (_parent, args, ctx) => {
  const scope = scopeOf(ctx);
  // The base version first: a wrong id is the caller's mistake, whatever the draft holds.
  const base = args.basedOnVersionId ? await getVersion(ctx.services.prompts, scope, args.basedOnVersionId) : null;
  if (args.basedOnVersionId && !base) throw new BadInputError('basedOnVersionId', 'No version with this id in your workspace.');
  const result = await validateDraft(ctx.services.resolution, scope, {
    template: args.template,
    messages: args.messages,
    systemMessage: args.systemMessage,
    variables: args.variables as VariableDeclaration[] | null | undefined,
  });
  return {
    ...result,
    variables: result.variables.map((v) => ({ ...v, values: v.values ?? null, default: v.default ?? null, description: v.description ?? null })),
    // Only a draft that validates has a contract to compare.
    contractChanges: base && result.valid ? contractChanges(base.variables as VariableDeclaration[], result.variables) : [],
  };
};
