/**
 * One mapping from errors to HTTP answers for the routes outside GraphQL (/auth/*, /v1/traces, /mcp): the status of
 * each domain code, and a Retry-After on refusals that pass (RATE_LIMITED, UNAVAILABLE: a database outage included).
 */
import { domainErrorOf } from '../db/failures';
import type { DomainError } from '../errors';

/** Seconds a client told UNAVAILABLE waits: the least Retry-After says; the health probe notices a database back within 250 ms. */
export const UNAVAILABLE_RETRY_AFTER_S = 1;

const STATUS_OF_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export type HttpError = { error: DomainError; status: number; headers: Record<string, string> };

/** The answer to `err`, or null when it is none of ours (a bug: the route answers 500 and logs it). */
export function httpErrorOf(err: unknown, fallbackStatus = 400): HttpError | null {
  const error = domainErrorOf(err);
  if (!error) return null;
  const headers: Record<string, string> = {};
  if (error.code === 'RATE_LIMITED') headers['retry-after'] = String(error.details.retryAfter ?? 60);
  if (error.code === 'UNAVAILABLE') headers['retry-after'] = String(UNAVAILABLE_RETRY_AFTER_S);
  return { error, status: STATUS_OF_CODE[error.code] ?? fallbackStatus, headers };
}
