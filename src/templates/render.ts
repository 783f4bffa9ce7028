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
  /** The coerced values by declaration index (see coerceVariables) for tags bound to the contract; null: none. */
  slots: readonly unknown[] | null;
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
 * The first segment of a tag's path, mustache style: searched from the innermost section item outwards, then the
 * root. OWN properties only, never the prototype chain; arrays and primitives have no fields. A tag bound to the
 * contract (`slot` ≥ 0) reads the root's value from its slot: no property lookup at all.
 */
function lookupFirst(stack: readonly unknown[], name: string, slot: number | undefined, slots: readonly unknown[] | null): unknown {
  for (let s = stack.length - 1; s > 0; s--) {
    const c = stack[s];
    if (typeof c === 'object' && c !== null && !Array.isArray(c) && Object.hasOwn(c, name)) return (c as Record<string, unknown>)[name];
  }
  if (slots !== null && slot !== undefined && slot >= 0) return slots[slot];
  const root = stack[0];
  return isFieldContext(root) && Object.hasOwn(root, name) ? root[name] : undefined;
}

/**
 * Mustache lookup: the first segment as lookupFirst; the rest of the path is resolved inside what was found only.
 * Arrays are indexed by numeric segments only (no `length`), primitives have no fields. An empty path is `{{.}}`:
 * the current section item (nothing at the top level, which is no item).
 */
export function lookup(
  stack: readonly unknown[],
  path: readonly string[],
  indices: readonly number[],
  slot?: number,
  slots: readonly unknown[] | null = null,
): unknown {
  const n = path.length;
  if (n === 0) return stack.length > 1 ? stack[stack.length - 1] : undefined;
  let v = lookupFirst(stack, path[0]!, slot, slots);
  for (let k = 1; k < n && v !== undefined; k++) {
    if (Array.isArray(v)) {
      const idx = indices[k]!;
      v = idx >= 0 && idx < v.length ? v[idx] : undefined;
    } else {
      const seg = path[k]!;
      v = isFieldContext(v) && Object.hasOwn(v, seg) ? v[seg] : undefined;
    }
  }
  return v;
}

/** Renders nodes; `stack[0]` is the root (the coerced variables), sections push items onto it. */
export function renderNodes(nodes: readonly TemplateNode[], stack: unknown[], state: RenderState): string {
  return renderInto('', nodes, stack, state);
}

/** Appends the rendering of `nodes` to `out`: one rope for the whole output, no per-section intermediate strings. */
function renderInto(out: string, nodes: readonly TemplateNode[], stack: unknown[], state: RenderState): string {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    switch (node.kind) {
      case 'text':
        out += node.text;
        break;
      case 'var': {
        const v = node.path.length === 1 ? lookupFirst(stack, node.path[0]!, node.slot, state.slots) : lookup(stack, node.path, node.indices, node.slot, state.slots);
        // Strings (the common case) skip valueToText's switch.
        out += typeof v === 'string' ? v : valueToText(v);
        break;
      }
      case 'section': {
        const v = node.path.length === 1 ? lookupFirst(stack, node.path[0]!, node.slot, state.slots) : lookup(stack, node.path, node.indices, node.slot, state.slots);
        if (node.inverted) {
          // An inverted section has no item to push: its body sees the same scopes as its surroundings.
          if (!isTruthy(v)) out = renderInto(out, node.children, stack, state);
        } else if (Array.isArray(v)) {
          // One scope slot reused for every item (no push/pop per item).
          const depth = stack.length;
          const flat = node.flat;
          for (let k = 0; k < v.length; k++) {
            stack[depth] = v[k];
            if (flat === undefined) {
              out = renderInto(out, node.children, stack, state);
              continue;
            }
            // A body of text and variables only (precomputed): no recursion, no node-kind dispatch.
            for (let j = 0; j < flat.length; j++) {
              const c = flat[j]!;
              if (typeof c === 'string') out += c;
              else {
                const x = c.path.length === 1 ? lookupFirst(stack, c.path[0]!, c.slot, state.slots) : lookup(stack, c.path, c.indices, c.slot, state.slots);
                out += typeof x === 'string' ? x : valueToText(x);
              }
            }
          }
          if (v.length > 0) stack.pop();
        } else if (isTruthy(v)) {
          stack.push(v);
          out = renderInto(out, node.children, stack, state);
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
  // The included template's tags are not bound to this contract's slots: they look names up in the root.
  const slots = state.slots;
  state.slots = null;
  try {
    // The included template sees the same variables and the same section scopes as the place it is included at.
    return renderNodes(included.nodes, stack, state);
  } finally {
    state.chain.pop();
    state.slots = slots;
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
    slots: null,
  };
  return renderNodes(template.nodes, [root], state);
}
