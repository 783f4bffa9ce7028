/** The renderer: walks a compiled node tree against a context stack. No parsing, no regex, nothing evaluated. */
import { NotFoundError } from '../errors';
import { includeCycleError, includeDepthError, MAX_INCLUDE_DEPTH } from './includes';
import type { CompiledTemplate, IncludeResolver, TemplateNode } from './types';

export interface RenderState {
  resolveInclude: IncludeResolver | undefined;
  /** Names (keys) of the templates being rendered, outermost first, for cycle and depth checks. */
  chain: string[];
  /** How many entries of `chain` are not includes (the root prompt's own name, when known). */
  rootEntries: number;
}

/** Mustache truthiness: false, null, missing, "", 0 and [] are falsy; everything else (including {}) is truthy. */
export function isTruthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== undefined && v !== null && v !== false && v !== '' && v !== 0;
}

/** How a value is inserted: strings as-is, numbers via String(), JSON compactly, null/missing as nothing. */
export function valueToText(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
    case 'boolean':
      return String(v);
    case 'object':
      return v === null ? '' : JSON.stringify(v);
    default:
      return '';
  }
}

/** Only plain (non-array) objects have fields; lookups then use OWN properties only, never the prototype chain. */
function isFieldContext(c: unknown): c is Record<string, unknown> {
  return c !== null && typeof c === 'object' && !Array.isArray(c);
}

/**
 * Mustache lookup: the first segment is searched from the innermost context outwards; the rest of the path is
 * resolved inside what was found only. Arrays are indexed by numeric segments only (no `length`), primitives have no
 * fields. An empty path is `{{.}}`: the current section item (nothing at the top level, which is no item).
 */
export function lookup(stack: readonly unknown[], path: readonly string[], indices: readonly number[]): unknown {
  const n = path.length;
  if (n === 0) return stack.length > 1 ? stack[stack.length - 1] : undefined;
  const first = path[0]!;
  if (n === 1) {
    // The common case, kept tight: a plain name searched from the innermost scope outwards.
    for (let s = stack.length - 1; s >= 0; s--) {
      const c = stack[s];
      if (isFieldContext(c) && Object.hasOwn(c, first)) return c[first];
    }
    return undefined;
  }
  let v: unknown;
  let s = stack.length - 1;
  for (; s >= 0; s--) {
    const c = stack[s];
    if (isFieldContext(c) && Object.hasOwn(c, first)) {
      v = c[first];
      break;
    }
  }
  if (s < 0) return undefined;
  for (let k = 1; k < n; k++) {
    if (Array.isArray(v)) {
      const idx = indices[k]!;
      v = idx >= 0 && idx < v.length ? v[idx] : undefined;
    } else {
      const seg = path[k]!;
      v = isFieldContext(v) && Object.hasOwn(v, seg) ? v[seg] : undefined;
    }
    if (v === undefined) return undefined;
  }
  return v;
}

/** Renders nodes; `stack[0]` is the root (the coerced variables), sections push items onto it. */
export function renderNodes(nodes: readonly TemplateNode[], stack: unknown[], state: RenderState): string {
  let out = '';
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    switch (node.kind) {
      case 'text':
        out += node.text;
        break;
      case 'var':
        out += valueToText(lookup(stack, node.path, node.indices));
        break;
      case 'section': {
        const v = lookup(stack, node.path, node.indices);
        if (node.inverted) {
          // An inverted section has no item to push: its body sees the same scopes as its surroundings.
          if (!isTruthy(v)) out += renderNodes(node.children, stack, state);
        } else if (Array.isArray(v)) {
          for (let k = 0; k < v.length; k++) {
            stack.push(v[k]);
            out += renderNodes(node.children, stack, state);
            stack.pop();
          }
        } else if (isTruthy(v)) {
          stack.push(v);
          out += renderNodes(node.children, stack, state);
          stack.pop();
        }
        break;
      }
      case 'include':
        out += renderInclude(node.ref.name, node.key, node, stack, state);
        break;
    }
  }
  return out;
}

function renderInclude(
  name: string,
  key: string,
  node: Extract<TemplateNode, { kind: 'include' }>,
  stack: unknown[],
  state: RenderState,
): string {
  const chain = [...state.chain, key];
  if (state.chain.some((c) => c === name || c.startsWith(`${name}@`) || c.startsWith(`${name}#`))) {
    throw includeCycleError(chain);
  }
  if (chain.length - state.rootEntries > MAX_INCLUDE_DEPTH) throw includeDepthError(chain);
  const included = state.resolveInclude?.(node.ref);
  if (!included) throw new NotFoundError(`Included prompt "${key}" was not found (or was not preloaded).`);
  state.chain.push(key);
  try {
    // The included template sees the same variables and the same section scopes as the place it is included at.
    return renderNodes(included.nodes, stack, state);
  } finally {
    state.chain.pop();
  }
}

/** Renders one compiled template against already-coerced variables (see `coerceVariables`). */
export function renderCompiled(
  template: CompiledTemplate,
  root: Record<string, unknown>,
  options: { resolveInclude?: IncludeResolver | undefined; promptName?: string | undefined } = {},
): string {
  const state: RenderState = {
    resolveInclude: options.resolveInclude,
    chain: options.promptName === undefined ? [] : [options.promptName],
    rootEntries: options.promptName === undefined ? 0 : 1,
  };
  return renderNodes(template.nodes, [root], state);
}
