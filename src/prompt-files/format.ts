/**
 * The `.prompt` file: YAML front matter (the version's settings, variables, tools, response format and the
 * prompt's description and tags) and the template as the body. Serialisation is deterministic (sorted keys,
 * LF, one final newline, no line folding), so pull → push is byte-identical. Pure: no I/O.
 */
import { parseDocument, stringify } from 'yaml';
import type { ChatMessageRow, ToolRow, VariableRow } from '../shared/version-content';

/** A version's content as stored by the server, plus the prompt's metadata the file carries. */
export type PromptFileContent = {
  type: 'TEXT' | 'CHAT';
  template: string | null;
  systemMessage: string | null;
  messages: ChatMessageRow[] | null;
  variables: VariableRow[];
  /** null in a hand-written file: the server's default model. */
  model: string | null;
  temperature: number;
  maxTokens: number;
  config: Record<string, unknown> | null;
  tools: ToolRow[] | null;
  responseFormat: Record<string, unknown> | null;
  description: string | null;
  tags: string[];
};

export class PromptFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

const FENCE = '---';
const KEYS = [
  'config',
  'description',
  'maxTokens',
  'messages',
  'model',
  'responseFormat',
  'systemMessage',
  'tags',
  'temperature',
  'template',
  'tools',
  'type',
  'variables',
];

function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .filter((k) => o[k] !== undefined)
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return x;
}

/** Variables in the server's stored form: every key present, a default only when set. */
export function normalizeVariable(v: Partial<VariableRow> & { name: string }): VariableRow {
  return {
    name: v.name,
    type: v.type ?? 'STRING',
    values: v.values ?? null,
    required: v.required ?? true,
    ...(v.default !== undefined && v.default !== null ? { default: v.default } : {}),
    description: v.description ?? null,
  };
}

/** In the file a variable shows only what differs from the defaults (STRING, required, no values). */
function compactVariable(v: VariableRow): Record<string, unknown> {
  return {
    name: v.name,
    ...(v.type !== 'STRING' ? { type: v.type } : {}),
    ...(v.values != null ? { values: v.values } : {}),
    ...(v.required !== true ? { required: v.required } : {}),
    ...(v.default !== undefined && v.default !== null ? { default: v.default } : {}),
    ...(v.description != null ? { description: v.description } : {}),
  };
}

/** The file's text. A TEXT template is the body unless it holds a carriage return (then it is quoted in the front matter). */
export function serializePromptFile(c: PromptFileContent): string {
  const bodyTemplate = c.type === 'TEXT' && c.template != null && !c.template.includes('\r') ? c.template : null;
  const front: Record<string, unknown> = {
    type: c.type,
    ...(c.model != null ? { model: c.model } : {}),
    temperature: c.temperature,
    maxTokens: c.maxTokens,
    ...(c.description != null ? { description: c.description } : {}),
    ...(c.tags.length ? { tags: c.tags } : {}),
    ...(c.config != null ? { config: c.config } : {}),
    variables: c.variables.map(compactVariable),
    ...(c.tools != null ? { tools: c.tools } : {}),
    ...(c.responseFormat != null ? { responseFormat: c.responseFormat } : {}),
    ...(c.systemMessage != null ? { systemMessage: c.systemMessage } : {}),
    ...(c.type === 'TEXT' && c.template != null && bodyTemplate === null ? { template: c.template } : {}),
    ...(c.type === 'CHAT' ? { messages: c.messages ?? [] } : {}),
  };
  const yaml = stringify(sortKeys(front), { lineWidth: 0, minContentWidth: 0, indent: 2 });
  return bodyTemplate === null ? `${FENCE}\n${yaml}${FENCE}\n` : `${FENCE}\n${yaml}${FENCE}\n${bodyTemplate}\n`;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function expect<T>(ok: boolean, file: string, message: string, value: T): T {
  if (!ok) throw new PromptFileError(file, message);
  return value;
}

/** Parses a file's text; every problem is a PromptFileError naming the file and the key. */
export function parsePromptFile(text: string, file = 'prompt'): PromptFileContent {
  const normalized = text.startsWith('\ufeff') ? text.slice(1) : text;
  if (!normalized.startsWith(`${FENCE}\n`)) throw new PromptFileError(file, 'a .prompt file starts with a "---" line (YAML front matter).');
  const end = normalized.indexOf(`\n${FENCE}\n`, FENCE.length);
  const endAtEof = normalized.endsWith(`\n${FENCE}`) ? normalized.length - FENCE.length - 1 : -1;
  const close = end >= 0 ? end : endAtEof;
  if (close < 0) throw new PromptFileError(file, 'the front matter has no closing "---" line.');
  const yamlText = normalized.slice(FENCE.length + 1, close + 1);
  let body = end >= 0 ? normalized.slice(end + FENCE.length + 2) : '';
  if (body.endsWith('\n')) body = body.slice(0, -1); // the final newline the serializer adds

  const doc = parseDocument(yamlText, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) throw new PromptFileError(file, `invalid YAML front matter: ${doc.errors[0]!.message}`);
  const front: unknown = doc.toJS() ?? {};
  if (!isObject(front)) throw new PromptFileError(file, 'the front matter must be a YAML mapping.');
  const unknown = Object.keys(front).filter((k) => !KEYS.includes(k));
  if (unknown.length) throw new PromptFileError(file, `unknown front matter key "${unknown[0]}" (known: ${KEYS.join(', ')}).`);

  const type = (front.type ?? (front.messages !== undefined ? 'CHAT' : 'TEXT')) as 'TEXT' | 'CHAT';
  expect(type === 'TEXT' || type === 'CHAT', file, '"type" is TEXT or CHAT.', null);
  const str = (k: string): string | null =>
    expect(front[k] == null || typeof front[k] === 'string', file, `"${k}" must be a string.`, (front[k] as string | undefined) ?? null);
  const num = (k: string): number | null =>
    expect(front[k] == null || typeof front[k] === 'number', file, `"${k}" must be a number.`, (front[k] as number | undefined) ?? null);

  const vars = front.variables ?? [];
  expect(Array.isArray(vars), file, '"variables" must be a list.', null);
  const variables = (vars as unknown[]).map((v, i) => {
    expect(isObject(v) && typeof v.name === 'string', file, `variables[${i}] needs a "name".`, null);
    return normalizeVariable(v as VariableRow);
  });
  let template: string | null = null;
  let messages: ChatMessageRow[] | null = null;
  if (type === 'TEXT') {
    template = str('template') ?? body;
    expect(front.messages === undefined, file, 'a TEXT prompt has no "messages" (set type: CHAT).', null);
  } else {
    expect(Array.isArray(front.messages), file, 'a CHAT prompt lists "messages" ({ role, content }).', null);
    expect(body.trim() === '', file, 'a CHAT prompt keeps its content in "messages"; the body must be empty.', null);
    messages = (front.messages as unknown[]).map((m, i) =>
      expect(isObject(m) && typeof m.role === 'string' && typeof m.content === 'string', file, `messages[${i}] needs a "role" and a "content".`, {
        role: (m as ChatMessageRow).role,
        content: (m as ChatMessageRow).content,
      }),
    );
  }
  const tags = front.tags ?? [];
  expect(Array.isArray(tags) && tags.every((t) => typeof t === 'string'), file, '"tags" must be a list of strings.', null);
  expect(front.config == null || isObject(front.config), file, '"config" must be a mapping.', null);
  expect(front.tools == null || Array.isArray(front.tools), file, '"tools" must be a list.', null);
  expect(front.responseFormat == null || isObject(front.responseFormat), file, '"responseFormat" must be a mapping (a JSON Schema).', null);
  return {
    type,
    template,
    systemMessage: str('systemMessage'),
    messages,
    variables,
    model: str('model'),
    temperature: num('temperature') ?? 0.7,
    maxTokens: num('maxTokens') ?? 1000,
    config: (front.config as Record<string, unknown> | undefined) ?? null,
    tools: (front.tools as ToolRow[] | undefined) ?? null,
    responseFormat: (front.responseFormat as Record<string, unknown> | undefined) ?? null,
    description: str('description'),
    tags: tags as string[],
  };
}

/** `prompts/support/classifier.prompt` ⇄ `support/classifier`. */
export const PROMPT_EXT = '.prompt';
export function fileOfPrompt(name: string): string {
  return `${name}${PROMPT_EXT}`;
}
export function promptOfFile(relativePath: string): string {
  return relativePath
    .split('\\')
    .join('/')
    .replace(/\.prompt$/, '');
}
