/** The shape of a rendered prompt, shared by the server's resolvePrompt and the client library (type only). */
export type ResolvedPrompt = {
  text: string | null;
  systemMessage: string | null;
  messages: { role: 'SYSTEM' | 'USER' | 'ASSISTANT'; content: string }[] | null;
  model: string;
  temperature: number;
  maxTokens: number;
  config: unknown;
  /** Function definitions `{ name, description, parameters }` of the version, or null. */
  tools: unknown;
  /** The version's JSON Schema for structured output, or null. */
  responseFormat: unknown;
  versionId: string;
  versionNumber: number;
  promptName: string;
  label: string | null;
  abTestId: string | null;
  variant: string | null;
  warnings: string[];
};
