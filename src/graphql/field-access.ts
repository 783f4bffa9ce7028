/**
 * Field-level reads. Root fields authorize in their services, but the types that carry prompt data
 * are reached from several roots (`promptChanged { prompt { … } }`, a version's `prompt`, a test's
 * variants), so their fields are guarded here, whatever the path. `prompt:read` reads every field;
 * a key that may only resolve (`prompt:resolve`) reads what `clientPrompts` gives it — a prompt's
 * name, revision and labels and the content of the versions behind them — and nothing more: no label
 * history, actors, tests, metrics or other versions. A field added to one of these types needs
 * `prompt:read` until it is listed here (and in test/security/permissions-table.ts).
 */
import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { can } from '../auth/permissions';
import { ForbiddenError } from '../errors';
import type { GraphQLContext } from './context';
import { scopeOf } from './scope';

/** Per guarded type, the fields a `prompt:resolve`-only key may read (the rest need `prompt:read`). */
export const RESOLVE_READABLE_FIELDS: Record<string, readonly string[]> = {
  PromptChangeEvent: ['kind', 'promptName', 'revision', 'label', 'at', 'prompt', 'version'],
  Prompt: ['id', 'name', 'revision', 'labels', 'latestVersion', 'activeVersion'],
  Label: ['name', 'version'],
  PromptVersion: [
    'id',
    'prompt',
    'number',
    'type',
    'template',
    'systemMessage',
    'messages',
    'variables',
    'model',
    'temperature',
    'maxTokens',
    'config',
    'tools',
    'responseFormat',
    'labels',
  ],
  LabelMove: [],
  ABTest: [],
  ABVariant: [],
  ABVariantResult: [],
};

/** Wraps every field of the guarded types that a resolve-only key may not read with the `prompt:read` check. */
export function guardFieldReads(schema: GraphQLSchema): GraphQLSchema {
  for (const [typeName, readable] of Object.entries(RESOLVE_READABLE_FIELDS)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`field-access: ${typeName} is not an object type of the schema`);
    for (const field of Object.values(type.getFields())) {
      if (readable.includes(field.name)) continue;
      const resolve: GraphQLFieldResolver<unknown, GraphQLContext> = field.resolve ?? defaultFieldResolver;
      const denied = `This key may only resolve prompts: ${typeName}.${field.name} needs prompts:read.`;
      field.resolve = (parent, args, ctx: GraphQLContext, info) => {
        if (!can(scopeOf(ctx).principal, 'prompt:read')) throw new ForbiddenError(denied);
        return resolve(parent, args, ctx, info);
      };
    }
  }
  return schema;
}
