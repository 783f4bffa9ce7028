/** Custom scalars: DateTime (ISO-8601 with zone), JSON (any JSON value), TokenCount (0..1e9 integer). */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

const bad = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

function parseDate(value: unknown): Date {
  if (typeof value !== 'string' || !ISO.test(value)) throw bad('DateTime must be an ISO-8601 string with a time zone, e.g. 2026-11-24T16:00:00Z.');
  const d = new Date(value);
  // Reject impossible calendar dates that Date would roll over (2024-02-30 → March 1).
  const [y, m, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (Number.isNaN(d.getTime()) || new Date(Date.UTC(y, m - 1, day)).getUTCDate() !== day) throw bad('DateTime is not a valid date.');
  if (y < 1970 || y > 9999) throw bad('DateTime is out of range.');
  return d;
}

export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO-8601 timestamp with a time zone, e.g. `2026-11-24T16:00:00.000Z`.',
  serialize: (v) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString()),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

function literalToJson(ast: ValueNode, variables: Record<string, unknown> | null | undefined, depth = 0): unknown {
  if (depth > 32) throw bad('JSON literal is nested too deeply.');
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT: {
      const n = Number(ast.value);
      if (!Number.isFinite(n)) throw bad('JSON numbers must be finite.');
      return n;
    }
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalToJson(v, variables, depth + 1));
    case Kind.OBJECT: {
      const out: Record<string, unknown> = Object.create(null);
      for (const f of ast.fields) out[f.name.value] = literalToJson(f.value, variables, depth + 1);
      return { ...out };
    }
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      throw bad('Unsupported JSON literal.');
  }
}

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (ast, variables) => literalToJson(ast, variables),
});

function parseTokens(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1e9)
    throw bad('TokenCount must be a whole number from 0 to 1,000,000,000.');
  return value;
}

export const TokenCount = new GraphQLScalarType<number, number>({
  name: 'TokenCount',
  description: 'A non-negative whole number of tokens, at most 1,000,000,000 (beyond 32-bit Int where needed).',
  serialize: (v) => Number(v),
  parseValue: parseTokens,
  parseLiteral: (ast) => parseTokens(ast.kind === Kind.INT ? Number(ast.value) : Number.NaN),
});
