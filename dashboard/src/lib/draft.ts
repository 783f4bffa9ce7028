/** A version's text as one document (for diffs) and draft ↔ input conversions (pure). */
import type { ChatRole, VariableType } from '../gql/graphql';

export type Message = { role: ChatRole; content: string };
export type VariableDraft = { name: string; type: VariableType; values: string; required: boolean; defaultText: string; description: string };

/** The text a diff compares: the system message and template of a TEXT version, or its messages one by one. */
export function diffableText(v: {
  type: string;
  template?: string | null;
  systemMessage?: string | null;
  messages?: readonly { role: string; content: string }[] | null;
}): string {
  if (v.type === 'CHAT') return (v.messages ?? []).map((m) => `[${m.role}]\n${m.content}`).join('\n\n');
  return v.systemMessage ? `[SYSTEM]\n${v.systemMessage}\n\n[TEMPLATE]\n${v.template ?? ''}` : (v.template ?? '');
}

export function toVariableDraft(v: {
  name: string;
  type: VariableType;
  values?: readonly string[] | null;
  required: boolean;
  default?: unknown;
  description?: string | null;
}): VariableDraft {
  return {
    name: v.name,
    type: v.type,
    values: (v.values ?? []).join(', '),
    required: v.required,
    defaultText: v.default === null || v.default === undefined ? '' : JSON.stringify(v.default),
    description: v.description ?? '',
  };
}

export type VariableInputShape = { name: string; type: VariableType; values?: string[]; required: boolean; default?: unknown; description?: string };

/** Declarations as the API takes them; a default that is not JSON is taken as a string. */
export function toVariableInput(v: VariableDraft): VariableInputShape {
  const out: VariableInputShape = { name: v.name.trim(), type: v.type, required: v.required };
  if (v.type === 'ENUM')
    out.values = v.values
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (v.defaultText.trim()) {
    try {
      out.default = JSON.parse(v.defaultText);
    } catch {
      out.default = v.defaultText;
    }
  }
  if (v.description.trim()) out.description = v.description.trim();
  return out;
}
