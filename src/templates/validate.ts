/** Validation at version creation: syntax, declarations, and the fit between the templates and the declarations. */
import { CHAT_MESSAGE_ROLES, placeholderNameProblem, type ChatMessageInput } from './chat';
import { parseTemplate, positionOf } from './parser';
import type { CompiledTemplate, IncludeResolver, VariableDeclaration } from './types';
import { collectUsage, inferFromUses, type TopLevelUse } from './usage';
import { checkDeclarations } from './variables';

export interface ValidationIssue {
  message: string;
  /** 1-based position of the offending tag or character; null when the fault is not in a template (declarations). */
  line: number | null;
  column: number | null;
  /** The input path at fault, e.g. `template`, `messages.2.content`, `variables.1.default`. */
  field: string;
}

export interface ValidationInput {
  template?: string | null;
  systemMessage?: string | null;
  messages?: readonly ChatMessageInput[] | null;
  /** null/undefined/[]: infer them (returned in `variables`). */
  variables?: readonly VariableDeclaration[] | null;
  /** When given, variables used by included templates count as used (their own contracts declare them). */
  resolveInclude?: IncludeResolver;
}

export interface ValidationResult {
  valid: boolean;
  errors: ValidationIssue[];
  warnings: string[];
  /** The declarations as given, or inferred when none were given. */
  variables: VariableDeclaration[];
}

/** A parsed template, or a chat placeholder, in reading order. */
type Source = { field: string; source: string; template: CompiledTemplate } | { field: string; placeholder: string };

export function validateTemplate(input: ValidationInput): ValidationResult {
  const errors: ValidationIssue[] = [];
  const warnings: string[] = [];
  const sources: Source[] = [];

  const parse = (field: string, source: unknown): void => {
    if (source === undefined || source === null) return;
    if (typeof source !== 'string') {
      errors.push({ field, line: null, column: null, message: 'Must be a string.' });
      return;
    }
    const r = parseTemplate(source);
    if (r.ok) sources.push({ field, source, template: r.template });
    else errors.push({ field, ...positionOf(source, r.error.offset), message: r.error.message });
  };
  parse('systemMessage', input.systemMessage);
  parse('template', input.template);
  if (input.messages !== undefined && input.messages !== null) {
    if (!Array.isArray(input.messages)) errors.push({ field: 'messages', line: null, column: null, message: 'Must be a list of messages.' });
    else {
      input.messages.forEach((m, i) => {
        if (!CHAT_MESSAGE_ROLES.includes(m.role)) {
          errors.push({
            field: `messages.${i}.role`,
            line: null,
            column: null,
            message: `Unknown message role ${JSON.stringify(m.role)}; expected ${CHAT_MESSAGE_ROLES.join(', ')}.`,
          });
        } else if (m.role === 'PLACEHOLDER') {
          const problem = placeholderNameProblem(m.content);
          if (problem) errors.push({ field: `messages.${i}.content`, line: 1, column: 1, message: problem });
          else sources.push({ field: `messages.${i}.content`, placeholder: m.content.trim() });
          return;
        }
        parse(`messages.${i}.content`, m.content);
      });
    }
  }

  // Uses in reading order, each remembering where it is.
  const uses: (TopLevelUse & { field: string; source: string })[] = [];
  const allNames = new Set<string>();
  for (const s of sources) {
    if ('placeholder' in s) {
      uses.push({ name: s.placeholder, kind: 'placeholder', required: true, offset: 0, field: s.field, source: '' });
      allNames.add(s.placeholder);
      continue;
    }
    const usage = collectUsage(s.template, input.resolveInclude);
    for (const u of usage.topLevel) uses.push({ ...u, field: s.field, source: s.source });
    for (const n of usage.allNames) allNames.add(n);
    for (const offset of usage.dotOutsideSection) {
      const { line, column } = positionOf(s.source, offset);
      warnings.push(`{{.}} outside a section (${s.field}, line ${line}, column ${column}) has no item to refer to and renders nothing`);
    }
  }

  const declared = input.variables && input.variables.length > 0 ? input.variables : null;
  if (!declared) return { valid: errors.length === 0, errors, warnings, variables: inferFromUses(uses) };

  for (const issue of checkDeclarations(declared)) errors.push({ ...issue, line: null, column: null });
  const byName = new Map(declared.map((d) => [d.name, d]));
  const reported = new Set<string>();
  for (const u of uses) {
    const d = byName.get(u.name);
    const where = u.kind === 'placeholder' ? { line: null, column: null } : positionOf(u.source, u.offset);
    // A use inside an included prompt is covered by that prompt's own contract, merged in at render; it only
    // counts as a use (so declaring it here, e.g. to give it a default, is not "unused").
    if (u.via !== undefined) continue;
    if (!d) {
      if (reported.has(u.name)) continue;
      reported.add(u.name);
      errors.push({
        field: u.field,
        ...where,
        message: `The template uses variable ${JSON.stringify(u.name)}, which is not declared. Declare it or remove the tag.`,
      });
    } else if (u.kind === 'placeholder' && d.type !== 'JSON') {
      errors.push({
        field: u.field,
        ...where,
        message: `Placeholder variable ${JSON.stringify(u.name)} must be declared as JSON (a list of messages), not ${d.type}.`,
      });
    } else if (u.kind === 'path' && d.type !== 'JSON') {
      warnings.push(
        `variable ${JSON.stringify(u.name)} is a ${d.type}, so a path into it (${u.field}, line ${where.line}, column ${where.column}) always renders nothing`,
      );
    }
  }
  for (const d of declared) {
    if (typeof d.name === 'string' && !allNames.has(d.name)) warnings.push(`variable ${JSON.stringify(d.name)} is declared but not used by any template`);
  }
  return { valid: errors.length === 0, errors, warnings, variables: [...declared] };
}
