/**
 * The bridge between a version's input and the template module: checks the content (TEXT or CHAT),
 * the declarations and the templates, and turns the first problem into a BAD_USER_INPUT with its
 * field path, line and column.
 */
import type { ChatMessageRow, VariableRow, VersionRow } from '../db/schema';
import { BadInputError } from '../errors';
import { assertText } from '../shared/validate';
import { contractChanges, validateTemplate, type VariableDeclaration } from '../templates';

const MAX_TEMPLATE = 256 * 1024;
const MAX_MESSAGES = 200;
const MAX_VARIABLES = 100;

export type ContentInput = {
  template?: string | null;
  systemMessage?: string | null;
  messages?: ChatMessageRow[] | null;
  variables?: VariableRow[] | null;
};

export type PreparedContent = {
  row: Pick<VersionRow, 'type' | 'template' | 'systemMessage' | 'messages' | 'variables'>;
  warnings: string[];
};

export function prepareContent(input: ContentInput, field: string): PreparedContent {
  const hasTemplate = input.template != null;
  const hasMessages = input.messages != null;
  if (hasTemplate === hasMessages) throw new BadInputError(`${field}.template`, 'Give either a template (a TEXT version) or messages (a CHAT version).');
  if (hasTemplate) assertText(input.template!, `${field}.template`, MAX_TEMPLATE);
  if (input.systemMessage != null) assertText(input.systemMessage, `${field}.systemMessage`, MAX_TEMPLATE);
  if (hasMessages) {
    if (input.messages!.length === 0) throw new BadInputError(`${field}.messages`, 'A CHAT version needs at least one message.');
    if (input.messages!.length > MAX_MESSAGES) throw new BadInputError(`${field}.messages`, `At most ${MAX_MESSAGES} messages.`);
    input.messages!.forEach((m, i) => assertText(m.content, `${field}.messages.${i}.content`, MAX_TEMPLATE));
  }
  if (input.variables && input.variables.length > MAX_VARIABLES) throw new BadInputError(`${field}.variables`, `At most ${MAX_VARIABLES} variables.`);
  input.variables?.forEach((v, i) => {
    assertText(v.name, `${field}.variables.${i}.name`, 100);
    if (v.description != null) assertText(v.description, `${field}.variables.${i}.description`, 1000);
    v.values?.forEach((x, j) => assertText(x, `${field}.variables.${i}.values.${j}`, 200));
  });

  const result = validateTemplate({
    template: input.template ?? null,
    systemMessage: input.systemMessage ?? null,
    messages: input.messages ?? null,
    variables: input.variables?.length ? (input.variables as VariableDeclaration[]) : null,
  });
  const first = result.errors[0];
  if (first) {
    const where = first.line != null ? ` (line ${first.line}, column ${first.column})` : '';
    throw new BadInputError(`${field}.${first.field}`, `${first.message}${where}`, { line: first.line, column: first.column, errors: result.errors });
  }
  return {
    row: {
      type: hasTemplate ? 'TEXT' : 'CHAT',
      template: input.template ?? null,
      systemMessage: input.systemMessage ?? null,
      messages: input.messages ?? null,
      variables: result.variables.map(toRow),
    },
    warnings: result.warnings,
  };
}

function toRow(v: VariableDeclaration): VariableRow {
  return {
    name: v.name,
    type: v.type,
    values: v.values ?? null,
    required: v.required,
    ...(v.default !== undefined && v.default !== null ? { default: v.default } : {}),
    description: v.description ?? null,
  };
}

export function variableContractChanges(previous: VariableRow[], next: VariableRow[]): string[] {
  return contractChanges(previous as VariableDeclaration[], next as VariableDeclaration[]);
}
