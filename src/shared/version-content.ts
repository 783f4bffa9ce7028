/**
 * The JSON shapes a version's content is stored in (messages, tools, variables): plain types, apart from db/schema
 * (which re-exports them), so code built into the client package (prompt files) names them without the ORM's types.
 */
export type ChatMessageRow = { role: 'SYSTEM' | 'USER' | 'ASSISTANT' | 'PLACEHOLDER'; content: string };
export type ToolRow = { name: string; description?: string | null; parameters: Record<string, unknown> };
export type VariableRow = {
  name: string;
  type: 'STRING' | 'NUMBER' | 'BOOLEAN' | 'JSON' | 'ENUM';
  values?: string[] | null;
  required: boolean;
  default?: unknown;
  description?: string | null;
};
