/**
 * Input validation at the edge of every service: names, ids, text and JSON limits. Each failure is a
 * BadInputError naming the field at fault.
 */
import { BadInputError } from '../errors';

export const PROMPT_NAME = /^[a-z0-9][a-z0-9._/-]{0,127}$/;
export const LABEL_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A NUL, or a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const BAD_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Ids are UUIDs; anything else cannot exist, so callers treat it as missing. */
export function assertUuid(value: string, field: string): string {
  if (!isUuid(value)) throw new BadInputError(field, `"${field}" is not a valid id.`);
  return value.toLowerCase();
}

export function assertPromptName(name: string, field = 'name'): string {
  if (!PROMPT_NAME.test(name)) {
    throw new BadInputError(field, 'A prompt name is 1–128 characters of a-z, 0-9, ".", "_", "-" and "/", starting with a letter or digit.');
  }
  if (name.includes('//') || name.endsWith('/')) throw new BadInputError(field, 'A prompt name has no empty folder ("//" or a trailing "/").');
  return name;
}

export function assertLabelName(label: string, field = 'label'): string {
  if (!LABEL_NAME.test(label)) {
    throw new BadInputError(field, 'A label is 1–64 characters of a-z, 0-9, ".", "_" and "-", starting with a letter or digit.');
  }
  return label;
}

/** Text a client stores: no NUL, no lone surrogates (Postgres and UTF-8 would alter it), bounded. */
export function assertText(value: string, field: string, maxLength: number): string {
  if (value.length > maxLength) throw new BadInputError(field, `"${field}" is longer than ${maxLength} characters.`);
  if (BAD_TEXT.test(value)) throw new BadInputError(field, `"${field}" contains a NUL character or an unpaired surrogate.`);
  return value;
}

export function optionalText(value: string | null | undefined, field: string, maxLength: number): string | null {
  return value == null ? null : assertText(value, field, maxLength);
}

/** A JSON value a client stores: bounded size and depth, clean strings and keys. */
export function assertJson(value: unknown, field: string, limits = { maxBytes: 16 * 1024, maxDepth: 16 }): unknown {
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth > limits.maxDepth) throw new BadInputError(field, `"${field}" is nested deeper than ${limits.maxDepth} levels.`);
    if (typeof v === 'string') assertText(v, path, Number.MAX_SAFE_INTEGER);
    else if (typeof v === 'number' && !Number.isFinite(v)) throw new BadInputError(path, `"${path}" must be a finite number.`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, depth + 1, `${path}.${i}`));
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        assertText(k, path, 1000);
        walk(x, depth + 1, `${path}.${k}`);
      }
    }
  };
  walk(value, 0, field);
  if (Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8') > limits.maxBytes) {
    throw new BadInputError(field, `"${field}" is larger than ${limits.maxBytes} bytes.`);
  }
  return value;
}

export function assertIntRange(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new BadInputError(field, `"${field}" must be a whole number from ${min} to ${max}.`);
  return value;
}

export function assertFiniteRange(value: number, field: string, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) throw new BadInputError(field, `"${field}" must be a number from ${min} to ${max}.`);
  return value;
}

/** Below this a measurement is zero: its square (rollups keep sums of squares) would underflow in SQL. */
export const TINY_MEASURE = 1e-100;

/** A measurement (latency, score) in range; a magnitude below TINY_MEASURE (1e-200, 1e-320) is stored as 0. */
export function assertMeasure(value: number, field: string, min: number, max: number): number {
  const x = assertFiniteRange(value, field, min, max);
  return Math.abs(x) < TINY_MEASURE ? 0 : x;
}
