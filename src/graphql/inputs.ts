/** GraphQL input objects → service inputs (defaults of the schema applied, Maybe → undefined). */
import type { VariableRow } from '../db/schema';
import type { NewVersionInput } from '../prompts/version-service';
import type { NewVersionInput as GqlNewVersionInput, VariableInput } from './generated/resolvers-types';

export function toVariableRows(vars: readonly VariableInput[] | null | undefined): VariableRow[] | null {
  if (!vars) return null;
  return vars.map((v) => ({
    name: v.name,
    type: v.type ?? 'STRING',
    values: v.values ?? null,
    required: v.required ?? true,
    default: v.default ?? null,
    description: v.description ?? null,
  }));
}

export function toNewVersion(input: GqlNewVersionInput): NewVersionInput {
  return {
    template: input.template,
    systemMessage: input.systemMessage,
    messages: input.messages ? input.messages.map((m) => ({ role: m.role, content: m.content })) : null,
    variables: toVariableRows(input.variables),
    model: input.model,
    temperature: input.temperature,
    maxTokens: input.maxTokens,
    config: input.config,
    tools: input.tools,
    responseFormat: input.responseFormat,
    message: input.message,
    labels: input.labels,
  };
}
