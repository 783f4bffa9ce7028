/** Chat prompts: compiling a message list (templates + PLACEHOLDERs) and rendering it with splicing of placeholders. */
import { BadInputError } from '../errors';
import { compileTemplate, NAME_RE } from './parser';
import { renderNodes, type RenderState } from './render';
import type { CompiledTemplate } from './types';

export type ChatRole = 'SYSTEM' | 'USER' | 'ASSISTANT';
export type ChatMessageRole = ChatRole | 'PLACEHOLDER';
export const CHAT_MESSAGE_ROLES: readonly ChatMessageRole[] = ['SYSTEM', 'USER', 'ASSISTANT', 'PLACEHOLDER'];

/** A message as stored in a CHAT version: a template, or for PLACEHOLDER the name of a JSON variable. */
export interface ChatMessageInput {
  role: ChatMessageRole;
  content: string;
}

/** A rendered message. */
export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export type CompiledMessage = { readonly role: ChatRole; readonly template: CompiledTemplate } | { readonly role: 'PLACEHOLDER'; readonly variable: string };

export function placeholderNameProblem(content: unknown): string | null {
  return typeof content === 'string' && NAME_RE.test(content.trim())
    ? null
    : 'A PLACEHOLDER message\'s content must be the name of a JSON variable (letters, digits, "_"), e.g. "history".';
}

/** Compiles each message; throws BAD_USER_INPUT on `messages`, `messages.<i>.role` or `messages.<i>.content`. */
export function compileChat(messages: readonly ChatMessageInput[]): CompiledMessage[] {
  if (!Array.isArray(messages)) throw new BadInputError('messages', 'A CHAT version needs a list of messages.');
  return messages.map((m, i): CompiledMessage => {
    if (!CHAT_MESSAGE_ROLES.includes(m.role)) {
      throw new BadInputError(`messages.${i}.role`, `Unknown message role ${JSON.stringify(m.role)}; expected ${CHAT_MESSAGE_ROLES.join(', ')}.`);
    }
    if (typeof m.content !== 'string') throw new BadInputError(`messages.${i}.content`, 'Message content must be a string.');
    if (m.role === 'PLACEHOLDER') {
      const problem = placeholderNameProblem(m.content);
      if (problem) throw new BadInputError(`messages.${i}.content`, problem);
      return { role: 'PLACEHOLDER', variable: m.content.trim() };
    }
    return { role: m.role, template: compileTemplate(m.content, `messages.${i}.content`) };
  });
}

const ROLE_OF: Record<string, ChatRole> = { system: 'SYSTEM', user: 'USER', assistant: 'ASSISTANT' };

/** A placeholder's value: a list of `{ role, content }` (role system/user/assistant in any case; other keys dropped). */
function spliceMessages(name: string, value: unknown, out: ChatMessage[]): void {
  if (value === undefined || value === null) return; // optional and not given: nothing to splice
  const bad = (why: string): BadInputError =>
    new BadInputError(
      `variables.${name}`,
      `Variable ${JSON.stringify(name)} fills a chat placeholder and must be a list of { role, content } messages ` +
        `(role system, user or assistant; content a string): ${why}.`,
    );
  if (!Array.isArray(value)) throw bad('it is not a list');
  value.forEach((m: unknown, k) => {
    if (m === null || typeof m !== 'object' || Array.isArray(m)) throw bad(`item ${k} is not an object`);
    const { role, content } = m as Record<string, unknown>;
    const normalized = typeof role === 'string' && Object.hasOwn(ROLE_OF, role.toLowerCase()) ? ROLE_OF[role.toLowerCase()] : undefined;
    if (!normalized) throw bad(`item ${k} has role ${JSON.stringify(role ?? null)}`);
    if (typeof content !== 'string') throw bad(`item ${k} has no string content`);
    out.push({ role: normalized, content });
  });
}

/** Renders compiled messages against the coerced root; placeholders splice the messages of their variable. */
export function renderChatMessages(messages: readonly CompiledMessage[], root: Record<string, unknown>, state: RenderState): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    if (m.role === 'PLACEHOLDER') spliceMessages(m.variable, root[m.variable], out);
    else out.push({ role: m.role, content: renderNodes(m.template.nodes, [root], state) });
  }
  return out;
}
