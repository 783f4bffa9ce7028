/**
 * Errors mapped once, for HTTP and WebSocket alike: domain errors keep their code and client-safe
 * details; GraphQL's own (parse, validation, coercion) keep theirs; anything else becomes a generic
 * INTERNAL_SERVER_ERROR (or UNAVAILABLE for a database outage) with no stack trace and no SQL.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError, domainErrorBehind } from '../errors';
import type { CodeCounter } from '../shared/code-counter';

const UNAVAILABLE_PG = /^(08|53|57)/; // connection exceptions, insufficient resources, operator intervention (timeouts)
const UNAVAILABLE_NET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECTION_ENDED',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/** True for an error our code did not anticipate (it must be logged with the request id). */
export function isUnexpected(error: unknown): boolean {
  const original = unwrapDomain(error);
  if (original instanceof DomainError) return false;
  if (original instanceof GraphQLError && typeof original.extensions?.code === 'string') return false;
  return !(error instanceof GraphQLError && !error.originalError);
}

function driverCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The domain error behind a resolver error, or behind an error raised outside execution (graphql-ws hooks). */
function unwrapDomain(error: unknown): unknown {
  const original = unwrapResolverError(error);
  if (original instanceof GraphQLError && original.originalError instanceof DomainError) return original.originalError;
  // The bounded database client's UNAVAILABLE arrives wrapped in Drizzle's DrizzleQueryError (as its cause).
  return domainErrorBehind(original) ?? original;
}

/** Details of our own refusals that help the caller (the cost and the limit of COST_LIMIT_EXCEEDED, the setting at fault). */
const SAFE_DETAILS = ['cost', 'limit', 'setting'] as const;
function safeDetails(extensions: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(SAFE_DETAILS.filter((k) => extensions?.[k] !== undefined).map((k) => [k, extensions![k]]));
}

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapDomain(error);
  const base = { locations: formatted.locations, path: formatted.path };
  if (original instanceof DomainError) {
    const details = Object.fromEntries(Object.entries(original.details).filter(([, v]) => v !== undefined));
    return { ...base, message: original.message, extensions: { ...details, code: original.code } };
  }
  // An inline literal one of our scalars rejects (TokenCount -1, DateTime "yesterday") is bad input,
  // exactly like the same value sent in a variable (graphql-js files it under validation).
  const cause = error instanceof GraphQLError ? error.originalError : undefined;
  if (cause instanceof GraphQLError && cause.extensions?.code === 'BAD_USER_INPUT') {
    return { ...base, message: formatted.message, extensions: { code: 'BAD_USER_INPUT' } };
  }
  // A variable graphql-js could not coerce (`$n: String!` given 42): no path, a scalar's GraphQLError as its cause.
  // Apollo codes these itself on HTTP; over WebSocket they arrive here as they are.
  if (
    original instanceof GraphQLError &&
    !original.path &&
    !formatted.extensions?.code &&
    original.originalError instanceof GraphQLError &&
    !original.originalError.extensions?.code
  ) {
    return { ...base, message: formatted.message, extensions: { code: 'BAD_USER_INPUT' } };
  }
  if (original instanceof GraphQLError && !original.originalError) {
    // Parse/validation/coercion errors raised by graphql-js or our scalars: safe to show.
    const code = (formatted.extensions?.code as string | undefined) ?? 'BAD_USER_INPUT';
    const field = (formatted.extensions?.field as string | undefined) ?? undefined;
    return { ...base, message: formatted.message, extensions: { code, ...(field ? { field } : {}), ...safeDetails(formatted.extensions) } };
  }
  if (
    original instanceof GraphQLError &&
    typeof original.extensions?.code === 'string' &&
    !(original.originalError && !(original.originalError instanceof GraphQLError))
  ) {
    return { ...base, message: original.message, extensions: { code: original.extensions.code } };
  }
  const code = driverCode(original);
  if (code && (UNAVAILABLE_PG.test(code) || UNAVAILABLE_NET.has(code))) {
    return { ...base, message: 'A dependency is unavailable; retry shortly.', extensions: { code: 'UNAVAILABLE' } };
  }
  if (code === '22021' || code === '22P05') {
    return { ...base, message: 'The input contains characters that cannot be stored.', extensions: { code: 'BAD_USER_INPUT' } };
  }
  return { ...base, message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** formatError that also counts each answered error by its code (graphql_errors_total): HTTP and WebSocket use the one. */
export function countingFormatError(errorCodes?: CodeCounter): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const answered = formatError(formatted, error);
    errorCodes?.add(answered.extensions?.code as string | undefined);
    return answered;
  };
}
