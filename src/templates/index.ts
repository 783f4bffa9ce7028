/**
 * The template language: a pure module (no I/O). Public API — everything is re-exported from here.
 *
 * Typical server flow
 *   create a version:  validateTemplate({ template?, systemMessage?, messages?, variables?, resolveInclude? })
 *                        → { valid, errors: [{ message, line, column, field }], warnings: string[], variables }
 *                      contractChanges(previousVariables | null, result.variables) → string[]
 *   load a version:    const compiled = compileVersionContent({ type: 'TEXT'|'CHAT', template?, systemMessage?,
 *                        messages?, variables? })            // parse ONCE per version, cache `compiled`
 *                      const { resolveInclude, variables } = await preloadIncludes([compiled.template, …],
 *                        load, promptName)   // cycle + depth checks; `load` gives { template, variables }
 *   render:            compiled.render(values, { resolveInclude?, promptName?, includedVariables: variables })
 *                        → { text, systemMessage, messages, warnings }
 *
 * Functions
 *   compileVersionContent(content: VersionContent): CompiledVersionContent          throws BadInputError (syntax)
 *   compileTemplate(source: string, field = 'template'): CompiledTemplate            throws BadInputError (syntax)
 *   parseTemplate(source: string): { ok: true, template } | { ok: false, error: { message, offset } }
 *   compileChat(messages: ChatMessageInput[]): CompiledMessage[]                     throws BadInputError
 *   renderTemplate(template, declarations, values, options?): { text, warnings }      throws BadInputError/NotFoundError
 *   validateTemplate(input: ValidationInput): ValidationResult
 *   inferVariables(templates: CompiledTemplate | CompiledTemplate[], { resolveInclude?, placeholders? }?)
 *     : VariableDeclaration[]
 *   checkDeclarations(declarations): { message, field }[]
 *   coerceVariables(compileContract(declarations), values): { root, warnings }       throws BadInputError
 *   contractChanges(previous: VariableDeclaration[] | null, next: VariableDeclaration[]): string[]
 *   listIncludes(...templates: (CompiledTemplate | null)[]): IncludeRef[]
 *   preloadIncludes(roots, load: (ref, chain) => Promise<IncludedTemplate | CompiledTemplate> | …, rootName?)
 *     : Promise<{ templates, resolveInclude, variables }>                            throws BadInputError (cycle/depth)
 *   mergeDeclarations(base, extra): VariableDeclaration[]   (an include's contract into its includer's)
 *   findIncludeTag(sources, key), rootIncludeOf(chain, hasRootName): where a failing include tag is
 *   includeRefKey(ref): string ("name", "name@label", "name#3");  parseIncludeRef(text): IncludeRef | null
 *   positionOf(source, offset): { line, column }  (1-based; columns count code points)
 *
 * Decisions (see the README's Templates section for the user-facing description)
 * - Nothing is HTML-escaped; `{{{x}}}` and `{{& x}}` are accepted and mean exactly `{{x}}`.
 * - Set-delimiter tags `{{=<% %>=}}` are rejected. `\{{` is a literal `{{`.
 * - Standalone lines: a line holding only a section open/close, an inverted section or a comment tag (plus spaces
 *   or tabs) is removed entirely, as in mustache. Variables and includes are never standalone.
 * - Inference: `{{x}}` → STRING; `{{x.y}}`, `{{#x}}`, `{{^x}}`, placeholders → JSON. Required when used outside
 *   every section (placeholders always), optional otherwise. Names inside `{{#x}}` bodies may be item fields and are
 *   not inferred or checked; names inside `{{^x}}` bodies are top-level (an inverted section pushes nothing).
 * - `null` for a variable means "not given" (defaults apply), except for JSON variables where null is a value;
 *   a `null` default means "no default". `[]` declarations mean "infer". A null chat placeholder splices nothing.
 * - An included template renders with the same values and current section scopes as its include tag. Its variables
 *   are checked against the included version's own contract, merged into the including one at every render
 *   (mergeDeclarations: the including version's declarations win; a variable an include requires stays required
 *   unless the includer gives a default). Inference never copies an include's variables into the including
 *   version (the include's label may move). Cycles are detected by prompt name.
 */
export type { CompiledTemplate, IncludedTemplate, IncludeRef, IncludeResolver, TemplateNode, VariableDeclaration, VariableType } from './types';
export { VARIABLE_TYPES } from './types';
export { compileTemplate, parseTemplate, positionOf, type ParseResult, type TemplateSyntaxError } from './parser';
export { compileChat, CHAT_MESSAGE_ROLES, type ChatMessage, type ChatMessageInput, type ChatMessageRole, type ChatRole, type CompiledMessage } from './chat';
export {
  compileVersionContent,
  renderTemplate,
  type CompiledVersionContent,
  type PromptType,
  type RenderedContent,
  type RenderOptions,
  type VersionContent,
} from './compiled-content';
export { validateTemplate, type ValidationInput, type ValidationIssue, type ValidationResult } from './validate';
export { inferVariables, collectUsage, type TemplateUsage, type TopLevelUse } from './usage';
export {
  checkDeclarations,
  coerceVariables,
  compileContract,
  isEffectivelyRequired,
  mergeDeclarations,
  type Contract,
  type DeclarationIssue,
} from './variables';
export { contractChanges } from './contract-changes';
export {
  findIncludeTag,
  includeRefKey,
  listIncludes,
  rootIncludeOf,
  type LoadedInclude,
  MAX_INCLUDE_DEPTH,
  parseIncludeRef,
  preloadIncludes,
  type PreloadedIncludes,
} from './includes';
export { includedTemplateOf } from './included-template';
