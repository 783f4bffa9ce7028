/** A version's content (TEXT or CHAT) compiled once, with its effective variable contract and a `render` method. */
import { BadInputError } from '../errors';
import { compileChat, renderChatMessages, type ChatMessage, type ChatMessageInput, type CompiledMessage } from './chat';
import { listIncludes } from './include-refs';
import { compileTemplate } from './parser';
import { renderCompiled, renderRoot, type RenderState } from './render';
import type { CompiledTemplate, IncludeRef, IncludeResolver, TemplateNode, VariableDeclaration, VarNode } from './types';
import { collectUsage, inferFromUses, type TopLevelUse } from './usage';
import { coerceVariables, compileContract, mergeDeclarations, type Contract } from './variables';

export type PromptType = 'TEXT' | 'CHAT';

export interface VersionContent {
  type: PromptType;
  /** TEXT: the template (required). */
  template?: string | null;
  /** TEXT (or CHAT): an optional system-message template. */
  systemMessage?: string | null;
  /** CHAT: the messages (required, non-empty). */
  messages?: readonly ChatMessageInput[] | null;
  /** The version's declarations; null/undefined/[] means "infer them from the templates" (see inferVariables). */
  variables?: readonly VariableDeclaration[] | null;
}

export interface RenderOptions {
  /** Preloaded included templates (see preloadIncludes). Without it, a template with includes fails with NOT_FOUND. */
  resolveInclude?: IncludeResolver;
  /** The rendered prompt's own name, so that including itself is reported as a cycle at once. */
  promptName?: string;
  /**
   * The included versions' contracts (`preloadIncludes(...).variables`): merged into this version's contract
   * (mergeDeclarations: its own declarations win) so that an include's required variables are checked too.
   */
  includedVariables?: readonly VariableDeclaration[];
}

export interface RenderedContent {
  /** TEXT: the rendered template; CHAT: null. */
  text: string | null;
  systemMessage: string | null;
  /** CHAT: the rendered messages with placeholders spliced in; TEXT: null. */
  messages: ChatMessage[] | null;
  warnings: string[];
}

export interface CompiledVersionContent {
  readonly type: PromptType;
  readonly template: CompiledTemplate | null;
  readonly systemMessage: CompiledTemplate | null;
  readonly messages: readonly CompiledMessage[] | null;
  /** The effective contract: the declarations given, or the inferred ones. */
  readonly variables: readonly VariableDeclaration[];
  readonly variablesInferred: boolean;
  /** Distinct includes of all templates, to preload before rendering. */
  readonly includes: readonly IncludeRef[];
  /**
   * Checks `values` against the contract and renders. Throws BAD_USER_INPUT (`variables`, `variables.<name>`,
   * `template` for include cycles/depth) or NOT_FOUND (an include not resolved).
   */
  render(values: unknown, options?: RenderOptions): RenderedContent;
}

/** Top-level uses of all templates of the content, in reading order (system message first). */
export function contentUses(
  template: CompiledTemplate | null,
  systemMessage: CompiledTemplate | null,
  messages: readonly CompiledMessage[] | null,
  resolveInclude?: IncludeResolver,
): TopLevelUse[] {
  const uses: TopLevelUse[] = [];
  if (systemMessage) uses.push(...collectUsage(systemMessage, resolveInclude).topLevel);
  if (template) uses.push(...collectUsage(template, resolveInclude).topLevel);
  for (const m of messages ?? []) {
    if (m.role === 'PLACEHOLDER') uses.push({ name: m.variable, kind: 'placeholder', required: true, offset: 0 });
    else uses.push(...collectUsage(m.template, resolveInclude).topLevel);
  }
  return uses;
}

/**
 * Parses every template of a version once. Throws BAD_USER_INPUT on a syntax error (field `template`,
 * `systemMessage` or `messages.<i>.content`, with line and column). Declarations are used as given: check them with
 * validateTemplate when the version is created.
 */
export function compileVersionContent(content: VersionContent): CompiledVersionContent {
  let template: CompiledTemplate | null = null;
  let messages: CompiledMessage[] | null = null;
  if (content.type === 'TEXT') {
    if (typeof content.template !== 'string') throw new BadInputError('template', 'A TEXT version needs a template.');
    template = compileTemplate(content.template, 'template');
  } else if (content.type === 'CHAT') {
    if (!Array.isArray(content.messages) || content.messages.length === 0) {
      throw new BadInputError('messages', 'A CHAT version needs at least one message.');
    }
    messages = compileChat(content.messages);
  } else {
    throw new BadInputError('type', `Unknown prompt type ${JSON.stringify(content.type)}; expected TEXT or CHAT.`);
  }
  const systemMessage = typeof content.systemMessage === 'string' ? compileTemplate(content.systemMessage, 'systemMessage') : null;

  const declared = content.variables && content.variables.length > 0 ? content.variables : null;
  const variables = declared ?? inferFromUses(contentUses(template, systemMessage, messages));
  const contract: Contract = compileContract(variables);
  const templates = [systemMessage, template, ...(messages ?? []).map((m) => ('template' in m ? m.template : null))];
  // Private copies bound to this contract (tags read their slot); the exposed templates stay unbound, since another
  // prompt may include them under its own contract.
  const index = contract.index;
  const boundTemplate = template && bindSlots(template, index);
  const boundSystem = systemMessage && bindSlots(systemMessage, index);
  const boundMessages = messages && messages.map((m): CompiledMessage => ('template' in m ? { role: m.role, template: bindSlots(m.template, index) } : m));

  return {
    type: content.type,
    template,
    systemMessage,
    messages,
    variables,
    variablesInferred: declared === null,
    includes: listIncludes(...templates),
    render(values: unknown, options?: RenderOptions): RenderedContent {
      // A merged contract keeps this version's declarations first, in order (mergeDeclarations): the slots still fit.
      // With includes, the included versions' contracts (which change as their labels move) join at every render.
      const included = options?.includedVariables;
      const { root, slots, warnings } = coerceVariables(
        included === undefined || included.length === 0 ? contract : compileContract(mergeDeclarations(variables, included)),
        values,
      );
      const promptName = options?.promptName;
      // One state for all templates: include rendering pushes and pops `chain`, leaving it as it was.
      const state: RenderState = {
        resolveInclude: options?.resolveInclude,
        chain: promptName === undefined ? [] : [promptName],
        rootEntries: promptName === undefined ? 0 : 1,
        slots,
      };
      return {
        text: boundTemplate ? renderRoot(boundTemplate.nodes, root, state) : null,
        systemMessage: boundSystem ? renderRoot(boundSystem.nodes, root, state) : null,
        messages: boundMessages ? renderChatMessages(boundMessages, root, state) : null,
        warnings,
      };
    },
  };
}

/** One template rendered against a list of declarations (for callers that do not use compileVersionContent). */
export function renderTemplate(
  template: CompiledTemplate,
  declarations: readonly VariableDeclaration[],
  values: unknown,
  options: RenderOptions = {},
): { text: string; warnings: string[] } {
  const merged = options.includedVariables ? mergeDeclarations(declarations, options.includedVariables) : declarations;
  const { root, warnings } = coerceVariables(compileContract(merged), values);
  return { text: renderCompiled(template, root, options), warnings };
}

/**
 * A copy of a template whose variable and section tags carry the slot of their first name in `index` (-1: none).
 * The copies are object literals with a fixed set of properties in a fixed order (not `{ ...n, slot }`: V8 gives
 * each spread copy a map of its own, which made every property access of the renderer megamorphic).
 */
function bindSlots(template: CompiledTemplate, index: ReadonlyMap<string, number>): CompiledTemplate {
  const bind = (nodes: readonly TemplateNode[]): TemplateNode[] =>
    nodes.map((n): TemplateNode => {
      if (n.kind === 'var') {
        if (n.path.length === 0) return n;
        return { kind: 'var', path: n.path, indices: n.indices, offset: n.offset, slot: index.get(n.path[0]!) ?? -1 };
      }
      if (n.kind === 'section') {
        const children = bind(n.children);
        const isFlat = children.every((c) => c.kind === 'text' || c.kind === 'var');
        const flat = isFlat ? children.map((c) => (c.kind === 'text' ? c.text : (c as VarNode))) : undefined;
        return {
          kind: 'section',
          inverted: n.inverted,
          path: n.path,
          indices: n.indices,
          children,
          offset: n.offset,
          slot: index.get(n.path[0]!) ?? -1,
          flat,
        };
      }
      return n;
    });
  return { ...template, nodes: bind(template.nodes) };
}
