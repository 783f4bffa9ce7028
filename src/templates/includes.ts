/** Preloading include references with cycle/depth checks (the references themselves: include-refs.ts). */
import { DomainError } from '../errors';
import { includeCycleError, includeDepthError, includeRefKey, listIncludes, MAX_INCLUDE_DEPTH } from './include-refs';
import type { CompiledTemplate, IncludedTemplate, IncludeRef, IncludeResolver, TemplateNode, VariableDeclaration } from './types';
import { inferVariables } from './usage';
import { mergeDeclarations } from './variables';

export {
  includeCycleError,
  includeDepthError,
  includeRefKey,
  LABEL_RE,
  listIncludes,
  MAX_INCLUDE_DEPTH,
  parseIncludeRef,
  PROMPT_NAME_RE,
} from './include-refs';

export interface PreloadedIncludes {
  /** `includeRefKey(ref)` → compiled template. */
  templates: Map<string, CompiledTemplate>;
  /** Pass as `resolveInclude` to render. */
  resolveInclude: IncludeResolver;
  /**
   * The contracts of every included version merged (see mergeDeclarations), in reading order, nested includes
   * after their includer: pass as `includedVariables` to render so that an include's variables are checked too.
   */
  variables: VariableDeclaration[];
}

/** What a loader returns: an included version (template + contract), or a bare template (its contract is inferred). */
export type LoadedInclude = IncludedTemplate | CompiledTemplate;

/**
 * Loads every template reachable through includes from `roots` (each distinct ref loaded once) and fails with
 * BAD_USER_INPUT (field `template`, `details.chain`) on a cycle or on nesting deeper than MAX_INCLUDE_DEPTH, so that
 * rendering never meets one. Cycles are detected by prompt NAME: `a` including `b@staging` including `a#2` is a cycle.
 * `rootName` is the including prompt's own name, so that `a` including `a` is caught at once. `load` also gets the
 * include chain that led to the ref (ending with its key); a DomainError it throws gets that chain as
 * `details.chain`, so that a caller can say where a failing include is.
 */
export async function preloadIncludes(
  roots: ReadonlyArray<CompiledTemplate | null | undefined>,
  load: (ref: IncludeRef, chain: readonly string[]) => Promise<LoadedInclude> | LoadedInclude,
  rootName?: string,
): Promise<PreloadedIncludes> {
  const templates = new Map<string, CompiledTemplate>();
  let variables: VariableDeclaration[] = [];
  const visit = async (refs: readonly IncludeRef[], chain: string[]): Promise<void> => {
    for (const ref of refs) {
      const key = includeRefKey(ref);
      const names = chain.map((c) => c.split(/[@#]/)[0]);
      const next = [...chain, key];
      if (names.includes(ref.name)) throw includeCycleError(next);
      // The root is not counted: `rootName` (when given) is chain[0].
      if (next.length - (rootName === undefined ? 0 : 1) > MAX_INCLUDE_DEPTH) throw includeDepthError(next);
      let t = templates.get(key);
      if (t === undefined) {
        let loaded: LoadedInclude;
        try {
          loaded = await load(ref, next);
        } catch (err) {
          // Say which include chain failed, so that a caller can point at the include tag it started from.
          if (err instanceof DomainError && err.details.chain === undefined) err.details.chain = next;
          throw err;
        }
        const included: IncludedTemplate = 'nodes' in loaded ? { template: loaded, variables: inferVariables(loaded) } : loaded;
        t = included.template;
        templates.set(key, t);
        variables = mergeDeclarations(variables, included.variables);
      }
      await visit(t.includes, next);
    }
  };
  await visit(listIncludes(...roots), rootName === undefined ? [] : [rootName]);
  return { templates, resolveInclude: (ref) => templates.get(includeRefKey(ref)), variables };
}

/** The include tag a failing include chain started from (its first element after the root's own name, if any). */
export function rootIncludeOf(chain: readonly string[], hasRootName: boolean): string | undefined {
  return chain[hasRootName ? 1 : 0];
}

/** Where the include tag with this key first appears among `sources` (depth first), for error positions. */
export function findIncludeTag<S extends { template: CompiledTemplate | null }>(sources: readonly S[], key: string): { source: S; offset: number } | null {
  const find = (nodes: readonly TemplateNode[]): number => {
    for (const n of nodes) {
      if (n.kind === 'include' && n.key === key) return n.offset;
      if (n.kind === 'section') {
        const at = find(n.children);
        if (at !== -1) return at;
      }
    }
    return -1;
  };
  for (const source of sources) {
    const at = source.template ? find(source.template.nodes) : -1;
    if (at !== -1) return { source, offset: at };
  }
  return null;
}
