/** The typed variable contract: checking declarations, and coercing/validating the values given at render time. */
import { BadInputError } from '../errors';
import { NAME_RE } from './parser';
import { VARIABLE_TYPES, type VariableDeclaration, type VariableType } from './types';

export interface DeclarationIssue {
  message: string;
  field: string;
}

const TYPE_HINT: Record<VariableType, string> = {
  STRING: 'a string',
  NUMBER: 'a finite number',
  BOOLEAN: 'true or false',
  JSON: 'any JSON value',
  ENUM: 'one of the declared values',
};

const quote = (s: string): string => JSON.stringify(s);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (typeof v === 'string') return `the string ${quote(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const OBJECT_PROTOTYPE = Object.prototype;
const hasOwnProperty = Object.prototype.hasOwnProperty;

/**
 * Plain JSON data only (what a JSON request body can carry): no functions, NaN, Infinity, class instances or cycles
 * (depth-limited). This runs on every render for JSON variables, so it is written for speed: `for…in` walks a plain
 * object's keys without allocating a key array (an enumerable key inherited from a tampered Object.prototype would
 * only be checked too, never accepted as a field: lookups read own properties only), and the elements and fields
 * that are strings, numbers, booleans or null are checked inline, without a call per value.
 */
export function isJsonValue(v: unknown, depth = 0): boolean {
  const t = typeof v;
  if (t === 'string' || t === 'boolean') return true;
  if (t === 'number') return Number.isFinite(v);
  if (t !== 'object') return false;
  return v === null || isJsonObject(v as object, depth);
}

/** isJsonValue of an array or object (not null) at `depth`. */
function isJsonObject(v: object, depth: number): boolean {
  if (depth >= 64) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'string') continue;
      if (typeof x === 'object') {
        if (x !== null && !isJsonObject(x, depth + 1)) return false;
      } else if (typeof x === 'number' ? !Number.isFinite(x) : typeof x !== 'boolean') return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== OBJECT_PROTOTYPE && proto !== null) return false;
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (typeof x === 'string') continue;
    if (typeof x === 'object') {
      if (x !== null && !isJsonObject(x, depth + 1)) return false;
    } else if (typeof x === 'number' ? !Number.isFinite(x) : typeof x !== 'boolean') return false;
  }
  return true;
}

/** `null` when `value` is acceptable for `decl`, else why not (without the variable's name). */
export function typeProblem(decl: Pick<VariableDeclaration, 'type' | 'values'>, value: unknown): string | null {
  switch (decl.type) {
    case 'STRING':
      return typeof value === 'string' ? null : `must be a STRING (${TYPE_HINT.STRING}), got ${describe(value)}`;
    case 'NUMBER':
      return typeof value === 'number' && Number.isFinite(value) ? null : `must be a NUMBER (${TYPE_HINT.NUMBER}), got ${describe(value)}`;
    case 'BOOLEAN':
      return typeof value === 'boolean' ? null : `must be a BOOLEAN (${TYPE_HINT.BOOLEAN}), got ${describe(value)}`;
    case 'ENUM': {
      const values = decl.values ?? [];
      return typeof value === 'string' && values.includes(value) ? null : `must be an ENUM, one of ${values.map(quote).join(', ')}, got ${describe(value)}`;
    }
    case 'JSON':
      return isJsonValue(value) ? null : `must be JSON data, got ${describe(value)}`;
    default:
      return `has an unknown type ${quote(String(decl.type))}`;
  }
}

/** A default of `null` (what GraphQL sends for an absent field) is no default. */
export const hasDefault = (d: VariableDeclaration): boolean => d.default !== undefined && d.default !== null;

/** Required and without a default: a caller must pass it. */
export const isEffectivelyRequired = (d: VariableDeclaration): boolean => d.required && !hasDefault(d);

/** Every problem with a list of declarations; `field` is `variables.<index>.<property>`. */
export function checkDeclarations(decls: readonly VariableDeclaration[]): DeclarationIssue[] {
  const issues: DeclarationIssue[] = [];
  const seen = new Map<string, number>();
  decls.forEach((d, i) => {
    const at = (prop: string): string => `variables.${i}.${prop}`;
    const label = typeof d.name === 'string' ? quote(d.name) : `#${i}`;
    if (typeof d.name !== 'string' || !NAME_RE.test(d.name) || d.name.length > 64) {
      issues.push({
        field: at('name'),
        message: `Invalid variable name ${label}: use letters, digits and "_", not starting with a digit (at most 64).`,
      });
    } else if (seen.has(d.name)) {
      issues.push({ field: at('name'), message: `Duplicate variable name ${label} (also variables.${seen.get(d.name)}).` });
    } else {
      seen.set(d.name, i);
    }
    if (!VARIABLE_TYPES.includes(d.type)) {
      issues.push({
        field: at('type'),
        message: `Variable ${label} has an unknown type ${quote(String(d.type))}; expected one of ${VARIABLE_TYPES.join(', ')}.`,
      });
      return;
    }
    if (typeof d.required !== 'boolean') {
      issues.push({ field: at('required'), message: `Variable ${label}: "required" must be true or false.` });
    }
    const hasValues = d.values !== undefined && d.values !== null;
    if (d.type === 'ENUM') {
      if (!Array.isArray(d.values) || d.values.length === 0) {
        issues.push({ field: at('values'), message: `ENUM variable ${label} needs a non-empty list of values.` });
        return;
      }
      if (!d.values.every((v) => typeof v === 'string' && v !== '')) {
        issues.push({ field: at('values'), message: `ENUM variable ${label}: every value must be a non-empty string.` });
        return;
      }
      const dup = d.values.find((v, k) => d.values!.indexOf(v) !== k);
      if (dup !== undefined) {
        issues.push({ field: at('values'), message: `ENUM variable ${label} lists the value ${quote(dup)} twice.` });
        return;
      }
    } else if (hasValues) {
      issues.push({ field: at('values'), message: `Variable ${label} is a ${d.type}: only ENUM variables take "values".` });
    }
    if (hasDefault(d)) {
      const problem = typeProblem(d, d.default);
      if (problem) issues.push({ field: at('default'), message: `The default of variable ${label} ${problem}.` });
    }
  });
  return issues;
}

/** Declarations prepared once per version for fast coercion at every render. */
export interface Contract {
  readonly declarations: readonly VariableDeclaration[];
  readonly names: ReadonlySet<string>;
  /** Name → index in `declarations` (the variable's slot, see Coerced.slots). */
  readonly index: ReadonlyMap<string, number>;
}

export function compileContract(declarations: readonly VariableDeclaration[]): Contract {
  const index = new Map(declarations.map((d, i) => [d.name, i]));
  return { declarations, names: new Set(index.keys()), index };
}

/** The render root and, per declaration (same order), the value the template sees (default applied). */
export interface Coerced {
  root: Record<string, unknown>;
  /** `slots[i]` is the value of `declarations[i]` (undefined when absent): bound tags read it without a lookup. */
  slots: unknown[];
  warnings: string[];
}

const missingRequired = (d: VariableDeclaration): BadInputError =>
  new BadInputError(
    `variables.${d.name}`,
    `Missing required variable ${quote(d.name)} (${d.type}${d.type === 'ENUM' ? `: ${(d.values ?? []).map(quote).join(', ')}` : ''}).`,
  );

/** The cheap, common checks inline; anything else (and every failure, for its message) goes through typeProblem. */
function accepts(d: VariableDeclaration, v: unknown): boolean {
  switch (d.type) {
    case 'STRING':
      return typeof v === 'string';
    case 'BOOLEAN':
      return typeof v === 'boolean';
    case 'JSON':
      return isJsonValue(v);
    default:
      return typeProblem(d, v) === null;
  }
}

/**
 * Checks the values a caller gave against the contract and builds the render root: only declared variables (so
 * undeclared ones are unusable), defaults applied, missing optional ones absent. `null` counts as not given,
 * except for a JSON variable, where it is a value (rendering as nothing).
 * Throws BAD_USER_INPUT on `variables` or `variables.<name>`.
 */
export function coerceVariables(contract: Contract, values: unknown): Coerced {
  if (values === null || values === undefined) values = {};
  if (!isPlainObject(values)) {
    throw new BadInputError('variables', `Variables must be a JSON object of name → value, got ${describe(values)}.`);
  }
  const given = values;
  const decls = contract.declarations;
  // One pass over the OWN enumerable keys given (as Object.keys, never the prototype chain): each declared one lands
  // in its slot. `for…in` allocates no key array, and V8 turns `hasOwnProperty` inside it into a shape check; the
  // keys it yields that are not own (enumerable ones inherited from a tampered prototype) are skipped.
  const slots: unknown[] = new Array(decls.length);
  const index = contract.index;
  let undeclared = 0;
  for (const key in given) {
    if (!hasOwnProperty.call(given, key)) continue;
    const i = index.get(key);
    if (i === undefined) undeclared++;
    else slots[i] = given[key];
  }
  let needsCopy = undeclared > 0;
  for (let i = 0; i < decls.length; i++) {
    const d = decls[i]!;
    const v = slots[i];
    // `null` means "not given" (as GraphQL sends absent fields), except for JSON, where null is a value.
    if (v === undefined || (v === null && d.type !== 'JSON')) {
      if (hasDefault(d)) {
        slots[i] = d.default;
        needsCopy = true;
      } else if (d.required) throw missingRequired(d);
      else slots[i] = undefined; // a null STRING etc. is absent (in `given` it renders as nothing, the same)
      continue;
    }
    if (!accepts(d, v)) throw new BadInputError(`variables.${d.name}`, `Variable ${quote(d.name)} ${typeProblem(d, v)}.`);
  }
  // Fast path (the common case): every key given is declared and nothing needed a default, so `given` itself is the
  // root; lookups only ever see OWN properties, so its prototype is harmless.
  if (!needsCopy) return { root: given, slots, warnings: [] };

  const warnings: string[] = [];
  if (undeclared > 0) {
    for (const key of Object.keys(given)) {
      if (!contract.names.has(key)) warnings.push(`variable ${quote(key)} is not declared by this version and was ignored`);
    }
  }
  // Null prototype, and defineProperty so that a variable named `__proto__` is a field, not the prototype.
  const root = Object.create(null) as Record<string, unknown>;
  for (let i = 0; i < decls.length; i++) {
    if (slots[i] !== undefined) Object.defineProperty(root, decls[i]!.name, { value: slots[i], enumerable: true, writable: true, configurable: true });
  }
  return { root, slots, warnings };
}

/**
 * Merges an included version's contract into another one: declarations already in `base` win (type, values,
 * default, description), names only `extra` declares are appended, and a variable that `extra` requires stays
 * required unless `base` gives it a default — so an include's required variable never renders empty silently.
 * Returns `base` itself when nothing changes (cheap for the common case).
 */
export function mergeDeclarations(base: readonly VariableDeclaration[], extra: readonly VariableDeclaration[]): VariableDeclaration[] {
  let out: VariableDeclaration[] | null = null;
  for (const d of extra) {
    const list: readonly VariableDeclaration[] = out ?? base;
    const k = list.findIndex((b) => b.name === d.name);
    if (k === -1) {
      out = [...list, d];
    } else if (isEffectivelyRequired(d) && !list[k]!.required && !hasDefault(list[k]!)) {
      out = list.map((b, i) => (i === k ? { ...b, required: true } : b));
    }
  }
  return out ?? (base as VariableDeclaration[]);
}
