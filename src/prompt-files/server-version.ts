/**
 * Between the server's shapes and a file's content: a pulled version (with its prompt's description and tags)
 * becomes file content; file content becomes a `NewVersionInput` and the content hash the server would store
 * for it, so an unchanged file is recognised without a request. Pure: no I/O.
 */
import { contentHashOf } from '../shared/content-hash';
import { normalizeVariable, type PromptFileContent } from './format';

/** The fields of `PromptVersion` (and `Prompt`) a pull reads. */
export const VERSION_SELECTION =
  'id number type template systemMessage messages { role content } variables { name type values required default description } model temperature maxTokens config tools responseFormat contentHash';

export type ServerVersion = {
  id: string;
  number: number;
  type: 'TEXT' | 'CHAT';
  template: string | null;
  systemMessage: string | null;
  messages: { role: 'SYSTEM' | 'USER' | 'ASSISTANT' | 'PLACEHOLDER'; content: string }[] | null;
  variables: {
    name: string;
    type: 'STRING' | 'NUMBER' | 'BOOLEAN' | 'JSON' | 'ENUM';
    values: string[] | null;
    required: boolean;
    default: unknown;
    description: string | null;
  }[];
  model: string;
  temperature: number;
  maxTokens: number;
  config: Record<string, unknown> | null;
  tools: PromptFileContent['tools'];
  responseFormat: Record<string, unknown> | null;
  contentHash: string;
};

export function fileContentOf(v: ServerVersion, prompt: { description: string | null; tags: string[] }): PromptFileContent {
  return {
    type: v.type,
    template: v.template,
    systemMessage: v.systemMessage,
    messages: v.messages ? v.messages.map((m) => ({ role: m.role, content: m.content })) : null,
    variables: v.variables.map(normalizeVariable),
    model: v.model,
    temperature: v.temperature,
    maxTokens: v.maxTokens,
    config: v.config,
    tools: v.tools,
    responseFormat: v.responseFormat,
    description: prompt.description,
    tags: [...prompt.tags],
  };
}

/** The `NewVersionInput` (GraphQL) of a file: what push sends. */
export function versionInputOf(c: PromptFileContent): Record<string, unknown> {
  return {
    ...(c.type === 'TEXT' ? { template: c.template ?? '' } : { messages: c.messages }),
    ...(c.systemMessage != null ? { systemMessage: c.systemMessage } : {}),
    variables: c.variables.map((v) => ({
      name: v.name,
      type: v.type,
      values: v.values,
      required: v.required,
      default: v.default ?? null,
      description: v.description,
    })),
    ...(c.model != null ? { model: c.model } : {}),
    temperature: c.temperature,
    maxTokens: c.maxTokens,
    config: c.config,
    tools: c.tools,
    responseFormat: c.responseFormat,
  };
}

/** The hash the server stores for this content (null when the file leaves the model to the server's default). */
export function localHashOf(c: PromptFileContent): string | null {
  if (c.model == null) return null;
  return contentHashOf({
    type: c.type,
    template: c.type === 'TEXT' ? (c.template ?? '') : null,
    systemMessage: c.systemMessage,
    messages: c.type === 'CHAT' ? c.messages : null,
    variables: c.variables.map(normalizeVariable),
    model: c.model,
    temperature: c.temperature,
    maxTokens: c.maxTokens,
    config: c.config,
    tools: c.tools,
    responseFormat: c.responseFormat,
  });
}
