/** Which variables a template uses, and inferring declarations from that when a version declares none. */
import type { CompiledTemplate, IncludeResolver, TemplateNode, VariableDeclaration } from './types';
import { MAX_INCLUDE_DEPTH } from './include-refs';

/** A use of a name that can only mean a top-level variable (it is not inside a `{{#section}}` body). */
export interface TopLevelUse {
  name: string;
  /** `var`: `{{x}}`; `path`: `{{x.y}}`; `section`: `{{#x}}` or `{{^x}}`; `placeholder`: a chat PLACEHOLDER. */
  kind: 'var' | 'path' | 'section' | 'placeholder';
  /** Used unconditionally (outside every section), so rendering needs it. */
  required: boolean;
  /** Offset of the tag in its template (0 for placeholders and uses inside includes). */
  offset: number;
  /** Set when the use is inside an included template: the include chain, e.g. `footer > signature`. */
  via?: string;
}

export interface TemplateUsage {
  topLevel: TopLevelUse[];
  /** First segment of every path anywhere, including inside sections (used to warn about unused declarations). */
  allNames: Set<string>;
  /** Offsets of `{{.}}` outside every section, where there is no item for it to mean. */
  dotOutsideSection: number[];
}

/**
 * Inside a `{{#x}}` body a name may be a field of the current item, so it is not treated as a top-level variable.
 * An inverted section pushes nothing, so names in `{{^x}}` bodies ARE top-level, but only conditionally used.
 * With `resolveInclude`, names used by included templates are listed too, marked with `via` (they count as used;
 * their declarations come from the included versions' contracts).
 */
export function collectUsage(template: CompiledTemplate, resolveInclude?: IncludeResolver): TemplateUsage {
  const at = (offset: number, chain: string[]): { offset: number; via?: string } => (chain.length === 0 ? { offset } : { offset: 0, via: chain.join(' > ') });
  const usage: TemplateUsage = { topLevel: [], allNames: new Set(), dotOutsideSection: [] };
  const walk = (nodes: readonly TemplateNode[], inItem: boolean, conditional: boolean, chain: string[]): void => {
    for (const node of nodes) {
      switch (node.kind) {
        case 'var': {
          const name = node.path[0];
          if (name === undefined) {
            if (!inItem && chain.length === 0) usage.dotOutsideSection.push(node.offset);
            break;
          }
          usage.allNames.add(name);
          if (!inItem) {
            usage.topLevel.push({
              name,
              kind: node.path.length > 1 ? 'path' : 'var',
              required: !conditional && chain.length === 0,
              ...at(node.offset, chain),
            });
          }
          break;
        }
        case 'section': {
          const name = node.path[0]!;
          usage.allNames.add(name);
          if (!inItem) usage.topLevel.push({ name, kind: 'section', required: false, ...at(node.offset, chain) });
          walk(node.children, inItem || !node.inverted, true, chain);
          break;
        }
        case 'include': {
          if (!resolveInclude || chain.includes(node.ref.name) || chain.length >= MAX_INCLUDE_DEPTH) break;
          const included = resolveInclude(node.ref);
          if (included) walk(included.nodes, inItem, conditional, [...chain, node.ref.name]);
          break;
        }
        case 'text':
          break;
      }
    }
  };
  walk(template.nodes, false, false, []);
  return usage;
}

/**
 * Declarations inferred from uses, in order of first use:
 * - `{{x}}` only → STRING; `{{x.y}}`, `{{#x}}`/`{{^x}}` or a chat PLACEHOLDER anywhere → JSON;
 * - required when used outside every section (or as a placeholder), else optional (a section over a missing
 *   variable is simply skipped);
 * - uses inside included templates (`via`) are skipped: the included versions' contracts cover them at render.
 */
export function inferFromUses(uses: readonly TopLevelUse[]): VariableDeclaration[] {
  const byName = new Map<string, VariableDeclaration>();
  for (const use of uses) {
    // An included prompt brings its own contract, merged in at render (mergeDeclarations): not inferred here.
    if (use.via !== undefined) continue;
    let d = byName.get(use.name);
    if (!d) {
      d = { name: use.name, type: 'STRING', required: false };
      byName.set(use.name, d);
    }
    if (use.kind !== 'var') d.type = 'JSON';
    if (use.required) d.required = true;
  }
  return [...byName.values()];
}

/** Infers declarations for one or more templates (e.g. a TEXT version's template and system message). */
export function inferVariables(
  templates: CompiledTemplate | ReadonlyArray<CompiledTemplate | null | undefined>,
  options: { resolveInclude?: IncludeResolver; placeholders?: readonly string[] } = {},
): VariableDeclaration[] {
  const list = Array.isArray(templates) ? templates : [templates as CompiledTemplate];
  const uses: TopLevelUse[] = [];
  for (const t of list) if (t) uses.push(...collectUsage(t, options.resolveInclude).topLevel);
  for (const name of options.placeholders ?? []) uses.push({ name, kind: 'placeholder', required: true, offset: 0 });
  return inferFromUses(uses);
}
