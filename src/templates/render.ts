/** The renderer: walks a compiled node tree against a context stack. No parsing, no regex, nothing evaluated. */
import { NotFoundError } from '../errors';
import { includeCycleError, includeDepthError, MAX_INCLUDE_DEPTH } from './include-refs';
import type { CompiledTemplate, IncludeResolver, TemplateNode, VarNode } from './types';

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
function renderInto(out: string, nodes: readonly TemplateNode[], stack: unknown[], state: RenderState, from = 0, to = nodes.length): string {
  for (let i = from; i < to; i++) {
    const node = nodes[i]!;
    switch (node.kind) {
      case 'text':
        out += node.text;
        break;
      case 'var': {
        const v =
          node.path.length === 1 ? lookupFirst(stack, node.path[0]!, node.slot, state.slots) : lookup(stack, node.path, node.indices, node.slot, state.slots);
        // Strings (the common case) skip valueToText's switch.
        out += typeof v === 'string' ? v : valueToText(v);
        break;
      }
      case 'section': {
        const v =
          node.path.length === 1 ? lookupFirst(stack, node.path[0]!, node.slot, state.slots) : lookup(stack, node.path, node.indices, node.slot, state.slots);
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

/**
 * renderNodes(nodes, [root], state), specialized for the top level of a template bound to the contract (bindSlots),
 * whose coerced values are in `state.slots`: a bound top-level `{{x}}` is its slot, and a flat section over an array
 * renders its items in renderFlatItems. Everything else goes through renderInto, with the same stack.
 */
export function renderRoot(nodes: readonly TemplateNode[], root: Record<string, unknown>, state: RenderState): string {
  const slots = state.slots;
  if (slots === null) return renderNodes(nodes, [root], state);
  let out = '';
  let stack: unknown[] | null = null;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.kind === 'text') {
      out += node.text;
      continue;
    }
    if (node.kind === 'var' && node.slot !== undefined && node.slot >= 0 && node.path.length === 1) {
      // At the top level there is no section item: a bound name is its slot (lookupFirst with a one-entry stack).
      const v = slots[node.slot];
      out += typeof v === 'string' ? v : valueToText(v);
      continue;
    }
    if (node.kind === 'section' && node.flat !== undefined && !node.inverted && node.slot !== undefined && node.slot >= 0 && node.path.length === 1) {
      const v = slots[node.slot];
      if (Array.isArray(v)) {
        out = renderFlatItems(out, node.flat, v, root, slots);
        continue;
      }
    }
    out = renderInto(out, nodes, stack ?? (stack = [root]), state, i, i + 1);
  }
  return out;
}

/**
 * The items of a top-level section whose body is flat (text and variables only), as renderInto would render them
 * with the stack `[root, item]`: a one-segment name is the item's OWN field when the item has it, else the bound
 * slot, else the root's own field (lookupFirst); longer paths and `{{.}}` go through lookup.
 */
function renderFlatItems(
  out: string,
  flat: ReadonlyArray<string | VarNode>,
  items: readonly unknown[],
  root: Record<string, unknown>,
  slots: readonly unknown[],
): string {
  let stack: unknown[] | null = null;
  for (let k = 0; k < items.length; k++) {
    const item = items[k];
    // Only plain (non-array) objects have fields; decided once per item, not once per tag.
    const fields = typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : null;
    for (let j = 0; j < flat.length; j++) {
      const c = flat[j]!;
      if (typeof c === 'string') {
        out += c;
        continue;
      }
      let x: unknown;
      if (c.path.length === 1) {
        const name = c.path[0]!;
        if (fields !== null && Object.hasOwn(fields, name)) x = fields[name];
        else if (c.slot !== undefined && c.slot >= 0) x = slots[c.slot];
        else x = isFieldContext(root) && Object.hasOwn(root, name) ? root[name] : undefined;
      } else {
        if (stack === null) stack = [root, item];
        else stack[1] = item;
        x = lookup(stack, c.path, c.indices, c.slot, slots);
      }
      out += typeof x === 'string' ? x : valueToText(x);
    }
  }
  return out;
}

function renderInclude(name: string, key: string, node: Extract<TemplateNode, { kind: 'include' }>, stack: unknown[], state: RenderState): string {
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
