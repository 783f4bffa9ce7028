/** Shared types of the template language: the compiled node tree, include references and variable declarations. */

/** A variable's declared type; see the README's Templates section for what each accepts. */
export type VariableType = 'STRING' | 'NUMBER' | 'BOOLEAN' | 'JSON' | 'ENUM';

export const VARIABLE_TYPES: readonly VariableType[] = ['STRING', 'NUMBER', 'BOOLEAN', 'JSON', 'ENUM'];

/** One variable of a version's typed contract. */
export interface VariableDeclaration {
  name: string;
  type: VariableType;
  /** ENUM only: the allowed strings (non-empty, unique). */
  values?: string[] | null;
  required: boolean;
  /** A value of the declared type; a default makes the variable effectively optional. `null` means no default. */
  default?: unknown;
  description?: string | null;
}

/** `{{> name}}`, `{{> name@label}}` or `{{> name#3}}`: neither label nor version means "the server's default". */
export interface IncludeRef {
  name: string;
  label?: string;
  version?: number;
}

export interface TextNode {
  readonly kind: 'text';
  readonly text: string;
}

/** `{{a.b.0}}`; an empty path is `{{.}}` (the current section item). */
export interface VarNode {
  readonly kind: 'var';
  readonly path: readonly string[];
  /** Per segment: the array index it denotes, or -1 for a name (precomputed so rendering never parses). */
  readonly indices: readonly number[];
  readonly offset: number;
  /** Bound to a version's contract (see bindSlots): index of `path[0]` in its declarations, -1 when undeclared. */
  readonly slot?: number;
}

export interface SectionNode {
  readonly kind: 'section';
  readonly inverted: boolean;
  readonly path: readonly string[];
  readonly indices: readonly number[];
  readonly children: readonly TemplateNode[];
  readonly offset: number;
  /** As VarNode.slot. */
  readonly slot?: number;
  /**
   * Set by bindSlots when the body holds only text and variable tags: the body as plain strings and variable nodes,
   * so items render in a tight loop (no recursion, no node-kind dispatch for text).
   */
  readonly flat?: ReadonlyArray<string | VarNode> | undefined;
}

export interface IncludeNode {
  readonly kind: 'include';
  readonly ref: IncludeRef;
  /** `includeRefKey(ref)`, precomputed for the resolver and cycle checks. */
  readonly key: string;
  readonly offset: number;
}

export type TemplateNode = TextNode | VarNode | SectionNode | IncludeNode;

/** A parsed template: parse once per version, cache, render many times. */
export interface CompiledTemplate {
  readonly source: string;
  readonly nodes: readonly TemplateNode[];
  /** Distinct include references, in order of first appearance. */
  readonly includes: readonly IncludeRef[];
}

/**
 * A preloaded included version: its template and its variable contract (its declarations, or the inferred ones).
 * At render the including version's contract is merged with these (see mergeIncludedContracts).
 */
export interface IncludedTemplate {
  readonly template: CompiledTemplate;
  readonly variables: readonly VariableDeclaration[];
}

/** Synchronous lookup of a preloaded included template; `undefined` when it is not available. */
export type IncludeResolver = (ref: IncludeRef) => CompiledTemplate | undefined;
