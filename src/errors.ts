/**
 * Domain errors with stable codes. Services throw these; the GraphQL edge maps them once to
 * `extensions.code` (see graphql/format-error.ts). Anything else becomes INTERNAL_SERVER_ERROR.
 */
export type ErrorCode =
  'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'RATE_LIMITED' | 'UNAVAILABLE' | 'INTERNAL_SERVER_ERROR';

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** Extra, client-safe fields copied into `extensions`. */
  readonly details: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** Input at fault; `field` is the input path, e.g. `input.variables.2.name` or `inputs.3.latencyMs`. */
export class BadInputError extends DomainError {
  readonly field: string;
  constructor(field: string, message: string, details: Record<string, unknown> = {}) {
    super('BAD_USER_INPUT', message, { field, ...details });
    this.field = field;
  }
  /** The same error with its field path prefixed, for errors raised below the edge (e.g. `inputs.3`). */
  withFieldPrefix(prefix: string): BadInputError {
    const { field: _field, ...rest } = this.details;
    return new BadInputError(this.field ? `${prefix}.${this.field}` : prefix, this.message, rest);
  }
}

export class NotFoundError extends DomainError {
  /** `details.field` names the input that pointed at nothing (e.g. `inputs.3.versionId`). */
  constructor(message: string, details: { field?: string } = {}) {
    super('NOT_FOUND', message, details);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You are not allowed to do this.') {
    super('FORBIDDEN', message);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Missing key: send "Authorization: Bearer <key>".', details: { reason?: string } = {}) {
    super('UNAUTHENTICATED', message, details);
  }
}

/** A conflicting concurrent change or a duplicate; `currentRevision` when a revision check failed. */
export class ConflictError extends DomainError {
  constructor(message: string, details: { currentRevision?: number } & Record<string, unknown> = {}) {
    super('CONFLICT', message, details);
  }
}

export class RateLimitedError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many requests; retry after ${retryAfterSeconds} s.`, { retryAfter: retryAfterSeconds });
  }
}

/** A dependency (Postgres, Redis) is down; safe to retry. */
export class UnavailableError extends DomainError {
  constructor(message = 'A dependency is unavailable; retry shortly.') {
    super('UNAVAILABLE', message);
  }
}

/** The domain error `err` is or wraps: Drizzle wraps what the database client throws (DbUnavailableError) as its `cause`. */
export function domainErrorBehind(err: unknown): DomainError | null {
  if (err instanceof DomainError) return err;
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause instanceof DomainError ? cause : null;
}
