/**
 * The bridge between a version's input and the template module: checks the content (TEXT or CHAT),
 * the declarations, the templates and their includes, and turns the first problem into a
 * BAD_USER_INPUT with its field path, line and column.
 */
import { assertCan } from '../auth/permissions';
import type { Executor } from '../db/client';
import type { ChatMessageRow, VariableRow, VersionRow } from '../db/schema';
import { BadInputError, DomainError } from '../errors';
import type { RequestScope } from '../shared/request-scope';
import { assertText } from '../shared/validate';
import {
  contractChanges,
  findIncludeTag,
  parseTemplate,
  positionOf,
  rootIncludeOf,
  validateTemplate,
  type CompiledTemplate,
  type PreloadedIncludes,
  type ValidationInput,
  type ValidationIssue,
  type ValidationResult,
  type VariableDeclaration,
} from '../templates';
import { loadIncludesWith, type ResolutionCache } from './resolution-cache';

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

/** Where the version is created: includes are read through `exec` (the caller's transaction). */
export type IncludeContext = { exec: Executor; workspaceId: string; promptName: string };

/** Sizes and characters of stored (or validated) content: bounded, no NUL, no lone surrogates. */
function assertContentBounds(input: ContentInput, field: string): void {
  const prefix = field ? `${field}.` : '';
  if (input.template != null) assertText(input.template, `${prefix}template`, MAX_TEMPLATE);
  if (input.systemMessage != null) assertText(input.systemMessage, `${prefix}systemMessage`, MAX_TEMPLATE);
  if (input.messages && input.messages.length > MAX_MESSAGES) throw new BadInputError(`${prefix}messages`, `At most ${MAX_MESSAGES} messages.`);
  input.messages?.forEach((m, i) => assertText(m.content, `${prefix}messages.${i}.content`, MAX_TEMPLATE));
  if (input.variables && input.variables.length > MAX_VARIABLES) throw new BadInputError(`${prefix}variables`, `At most ${MAX_VARIABLES} variables.`);
  input.variables?.forEach((v, i) => {
    assertText(v.name, `${prefix}variables.${i}.name`, 100);
    if (v.description != null) assertText(v.description, `${prefix}variables.${i}.description`, 1000);
    v.values?.forEach((x, j) => assertText(x, `${prefix}variables.${i}.values.${j}`, 200));
  });
}

export async function prepareContent(input: ContentInput, field: string, context: IncludeContext): Promise<PreparedContent> {
  const hasTemplate = input.template != null;
  const hasMessages = input.messages != null;
  if (hasTemplate === hasMessages) throw new BadInputError(`${field}.template`, 'Give either a template (a TEXT version) or messages (a CHAT version).');
  if (hasMessages && input.messages!.length === 0) throw new BadInputError(`${field}.messages`, 'A CHAT version needs at least one message.');
  assertContentBounds(input, field);

  const draft: ValidationInput = {
    template: input.template ?? null,
    systemMessage: input.systemMessage ?? null,
    messages: input.messages ?? null,
    variables: input.variables?.length ? (input.variables as VariableDeclaration[]) : null,
  };
  const result = await validateWithIncludes(draft, (roots) => loadIncludesWith(context.exec, context.workspaceId, roots, context.promptName), true);
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

type TemplateSource = { field: string; template: CompiledTemplate | null };

/** The well-formed templates of a draft with their field paths (syntax errors are validateTemplate's to report). */
function draftSources(draft: ValidationInput): TemplateSource[] {
  const parsed = (field: string, source: unknown): TemplateSource => {
    const r = typeof source === 'string' ? parseTemplate(source) : null;
    return { field, template: r?.ok ? r.template : null };
  };
  return [
    parsed('systemMessage', draft.systemMessage),
    parsed('template', draft.template),
    ...(Array.isArray(draft.messages) ? draft.messages.map((m, i) => parsed(`messages.${i}.content`, m.role === 'PLACEHOLDER' ? null : m.content)) : []),
  ];
}

/**
 * validateTemplate, plus the includes: every included prompt must exist (with its label or version), be a TEXT
 * prompt, and the includes must have no cycle and nest at most 5 deep. A failing include is an error at its tag
 * (field, line, column); when all load, variables used by the included prompts count as used.
 */
async function validateWithIncludes(
  draft: ValidationInput,
  load: (roots: ReadonlyArray<CompiledTemplate | null>) => Promise<PreloadedIncludes>,
  hasRootName: boolean,
): Promise<ValidationResult> {
  const plain = validateTemplate(draft);
  const sources = draftSources(draft);
  if (plain.errors.length > 0 || sources.every((s) => !s.template?.includes.length)) return plain;
  let preloaded: PreloadedIncludes;
  try {
    preloaded = await load(sources.map((s) => s.template));
  } catch (err) {
    return { ...plain, valid: false, errors: [includeIssue(err, sources, hasRootName)] };
  }
  return validateTemplate({ ...draft, resolveInclude: preloaded.resolveInclude });
}

/** A failed include as an issue at the tag it started from; anything but a not-found/bad-input fault is rethrown. */
function includeIssue(err: unknown, sources: TemplateSource[], hasRootName: boolean): ValidationIssue {
  if (!(err instanceof DomainError) || (err.code !== 'NOT_FOUND' && err.code !== 'BAD_USER_INPUT')) throw err;
  const chain = Array.isArray(err.details.chain) ? (err.details.chain as string[]) : null;
  const root = chain ? rootIncludeOf(chain, hasRootName) : undefined;
  const at = root === undefined ? null : findIncludeTag(sources, root);
  if (!at) return { field: 'template', line: null, column: null, message: err.message };
  const via = chain && chain.length - (hasRootName ? 1 : 0) > 1 && err.code === 'NOT_FOUND' ? ` (through ${chain.slice(hasRootName ? 1 : 0).join(' > ')})` : '';
  return { field: at.source.field, ...positionOf(at.source.template!.source, at.offset), message: `${err.message.replace(/\.$/, '')}${via}.` };
}

/** Query.validateTemplate: what an editor calls while someone types; includes are read through the resolution cache. */
export async function validateDraft(cache: ResolutionCache, scope: RequestScope, draft: ValidationInput): Promise<ValidationResult> {
  assertCan(scope.principal, 'prompt:read');
  assertContentBounds(draft as ContentInput, '');
  return validateWithIncludes(draft, (roots) => cache.loadIncludes(scope.principal.workspaceId, roots), false);
}
