/**
 * MCP prompt arguments are strings: a version's variables become arguments (name, description with the type,
 * required when the caller must pass it), and argument strings become typed variable values again. Pure.
 */
import type { VariableRow } from '../db/schema';
import { BadInputError } from '../errors';

export type McpArgument = { name: string; description: string; required: boolean };

/** The extra argument naming the label to render (when no variable takes the name). */
export const LABEL_ARGUMENT = 'label';

const required = (v: VariableRow) => v.required && (v.default === undefined || v.default === null);

export function argumentsOf(variables: readonly VariableRow[]): McpArgument[] {
  const args = variables.map((v) => {
    const type = v.type === 'ENUM' ? `one of ${(v.values ?? []).join(', ')}` : v.type === 'STRING' ? 'text' : v.type === 'JSON' ? 'JSON' : v.type.toLowerCase();
    const def = v.default !== undefined && v.default !== null ? `; default ${JSON.stringify(v.default)}` : '';
    return { name: v.name, description: `${v.description ? `${v.description} ` : ''}(${type}${def})`, required: required(v) };
  });
  if (!variables.some((v) => v.name === LABEL_ARGUMENT))
    args.push({ name: LABEL_ARGUMENT, description: 'The label to render (default production).', required: false });
  return args;
}

/** Argument strings as the variables' types; a value that does not parse is a BAD_USER_INPUT naming it. */
export function variablesFrom(variables: readonly VariableRow[], args: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const byName = new Map(variables.map((v) => [v.name, v]));
  for (const [name, raw] of Object.entries(args)) {
    const v = byName.get(name);
    if (!v) {
      if (name !== LABEL_ARGUMENT) out[name] = raw; // the renderer warns about undeclared variables
      continue;
    }
    if (v.type === 'NUMBER') {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new BadInputError(name, `Argument "${name}" must be a number.`);
      out[name] = n;
    } else if (v.type === 'BOOLEAN') {
      if (raw !== 'true' && raw !== 'false') throw new BadInputError(name, `Argument "${name}" must be true or false.`);
      out[name] = raw === 'true';
    } else if (v.type === 'JSON') {
      try {
        out[name] = JSON.parse(raw);
      } catch {
        throw new BadInputError(name, `Argument "${name}" must be JSON.`);
      }
    } else out[name] = raw;
  }
  return out;
}
