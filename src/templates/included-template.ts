/**
 * What an included version contributes to the prompt that includes it: its TEXT template and the
 * declarations that template uses (its system message is not included). Shared by the server's
 * resolution and the client library so both render includes identically.
 */
import { BadInputError } from '../errors';
import type { CompiledVersionContent } from './compiled-content';
import { includeRefKey } from './include-refs';
import type { IncludedTemplate, IncludeRef, VariableDeclaration } from './types';
import { collectUsage } from './usage';

// Compiled contents are immutable and cached by their owners; the derived contract is cached with them.
const includedContracts = new WeakMap<CompiledVersionContent, readonly VariableDeclaration[]>();

export function includedTemplateOf(ref: IncludeRef, content: CompiledVersionContent): IncludedTemplate {
  if (!content.template) throw new BadInputError('template', `Included prompt "${includeRefKey(ref)}" is a CHAT prompt; only TEXT prompts can be included.`);
  let vars = includedContracts.get(content);
  if (!vars) {
    const used = collectUsage(content.template).allNames;
    vars = content.variables.filter((d) => used.has(d.name));
    includedContracts.set(content, vars);
  }
  return { template: content.template, variables: vars };
}
