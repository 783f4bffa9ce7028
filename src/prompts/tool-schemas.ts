/**
 * A version's `tools` (function definitions: name, description, JSON Schema parameters) and
 * `responseFormat` (a JSON Schema for structured output): validated as JSON Schema at creation (Ajv,
 * draft 2020-12 and draft-07 meta-schemas), and their contract changes. Pure: no I/O.
 */
import Ajv2020 from 'ajv/dist/2020';
import draft7MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json';
import { BadInputError } from '../errors';
import { assertJson, assertText } from '../shared/validate';

export type ToolDefinition = { name: string; description?: string | null; parameters: Record<string, unknown> };

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_TOOLS = 128;
const SCHEMA_LIMITS = { maxBytes: 64 * 1024, maxDepth: 32 };

// One validator for the process: compiling meta-schemas is the expensive part, validating a schema is cheap.
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
ajv.addMetaSchema(draft7MetaSchema);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A JSON Schema (draft 2020-12 by default, draft-07 when its `$schema` says so) that Ajv can compile. */
export function assertJsonSchema(value: unknown, field: string): Record<string, unknown> {
  if (!isObject(value)) throw new BadInputError(field, `"${field}" must be a JSON Schema object.`);
  assertJson(value, field, SCHEMA_LIMITS);
  const schema = value;
  let valid: boolean;
  try {
    valid = ajv.validateSchema(schema) as boolean;
  } catch (err) {
    throw new BadInputError(field, `"${field}" is not a valid JSON Schema: ${(err as Error).message}.`);
  }
  if (!valid) {
    const e = ajv.errors?.[0];
    const at = e?.instancePath ? ` at ${e.instancePath}` : '';
    throw new BadInputError(field, `"${field}" is not a valid JSON Schema${at}: ${e?.message ?? 'invalid'}.`);
  }
  try {
    // Compiling also catches what the meta-schema cannot: unresolvable $refs, bad regex patterns.
    const { $id: _id, ...anonymous } = schema; // never register ids in the shared instance
    ajv.compile(anonymous);
  } catch (err) {
    throw new BadInputError(field, `"${field}" is not a usable JSON Schema: ${(err as Error).message}.`);
  }
  return schema;
}

/** `tools`: a list of `{ name, description, parameters }`, names unique, parameters an object schema. */
export function assertTools(value: unknown, field: string): ToolDefinition[] | null {
  if (value == null) return null;
  if (!Array.isArray(value)) throw new BadInputError(field, `"${field}" must be a list of { name, description, parameters }.`);
  if (value.length > MAX_TOOLS) throw new BadInputError(field, `At most ${MAX_TOOLS} tools.`);
  const seen = new Set<string>();
  return value.map((t: unknown, i) => {
    const at = `${field}.${i}`;
    if (!isObject(t)) throw new BadInputError(at, `"${at}" must be an object { name, description, parameters }.`);
    const extra = Object.keys(t).filter((k) => k !== 'name' && k !== 'description' && k !== 'parameters');
    if (extra.length) throw new BadInputError(`${at}.${extra[0]}`, `A tool has only name, description and parameters (got "${extra[0]}").`);
    if (typeof t.name !== 'string' || !TOOL_NAME.test(t.name))
      throw new BadInputError(`${at}.name`, 'A tool name is 1–64 characters of a-z, A-Z, 0-9, "_" and "-".');
    if (seen.has(t.name)) throw new BadInputError(`${at}.name`, `Two tools are named "${t.name}".`);
    seen.add(t.name);
    if (t.description != null && typeof t.description !== 'string') throw new BadInputError(`${at}.description`, 'A tool description is a string.');
    const description = t.description == null ? null : assertText(t.description, `${at}.description`, 4000);
    const parameters = t.parameters == null ? { type: 'object', properties: {} } : assertJsonSchema(t.parameters, `${at}.parameters`);
    if (parameters.type !== undefined && parameters.type !== 'object')
      throw new BadInputError(`${at}.parameters.type`, 'Tool parameters are an object schema ("type": "object").');
    return description === null ? { name: t.name, parameters } : { name: t.name, description, parameters };
  });
}

export function assertResponseFormat(value: unknown, field: string): Record<string, unknown> | null {
  return value == null ? null : assertJsonSchema(value, field);
}

function canonicalJson(x: unknown): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : isObject(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canon(v[k])]),
          )
        : v;
  return JSON.stringify(canon(x) ?? null);
}

/**
 * Contract lines for tools and the response format, as `contractChanges` shows them. A removed tool, changed
 * parameters and any response format change are breaking (code built on them stops working); an added tool or a
 * changed description is not.
 */
export function toolContractChanges(
  previous: { tools: ToolDefinition[] | null; responseFormat: Record<string, unknown> | null },
  next: { tools: ToolDefinition[] | null; responseFormat: Record<string, unknown> | null },
): string[] {
  const lines: string[] = [];
  const before = new Map((previous.tools ?? []).map((t) => [t.name, t]));
  const after = new Map((next.tools ?? []).map((t) => [t.name, t]));
  for (const [name, t] of after) {
    const old = before.get(name);
    if (!old) lines.push(`added tool "${name}"`);
    else {
      if (canonicalJson(old.parameters) !== canonicalJson(t.parameters)) lines.push(`changed parameters of tool "${name}"`);
      if ((old.description ?? null) !== (t.description ?? null)) lines.push(`changed description of tool "${name}"`);
    }
  }
  for (const name of before.keys()) if (!after.has(name)) lines.push(`removed tool "${name}"`);
  const rfBefore = previous.responseFormat ?? null;
  const rfAfter = next.responseFormat ?? null;
  if (rfBefore === null && rfAfter !== null) lines.push('added response format');
  else if (rfBefore !== null && rfAfter === null) lines.push('removed response format');
  else if (canonicalJson(rfBefore) !== canonicalJson(rfAfter)) lines.push('changed response format');
  return lines;
}

/** Which contract lines (of `contractChanges`, variables and tools alike) break existing callers. */
export function isBreakingChange(line: string): boolean {
  return (
    /^added required variable /.test(line) ||
    /^changed type of /.test(line) ||
    /" became required$/.test(line) ||
    /^enum values of .* changed: removed /.test(line) ||
    /^removed tool /.test(line) ||
    /^changed parameters of tool /.test(line) ||
    /^(added|removed|changed) response format$/.test(line)
  );
}
