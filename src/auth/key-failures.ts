/**
 * Why a key did not authenticate, in the words HTTP errors and WebSocket close reasons share (a close reason holds
 * at most 123 bytes: these fit). "Revoked" and "expired" are told only to a caller holding the key's real secret,
 * so they reveal nothing to someone guessing keys; anything else is "unknown key".
 */
import { UnauthenticatedError } from '../errors';

export const KEY_FAILURES = {
  MISSING_KEY: 'Missing key: send "Authorization: Bearer <key>".',
  MALFORMED_KEY: 'Malformed key: send Bearer <key> (the header is "Authorization: Bearer pm_…").',
  UNKNOWN_KEY: 'Unknown key: not a key of this server (mistyped, cut short, or from another server).',
  KEY_REVOKED: 'Key revoked: ask an admin for a new key.',
  KEY_EXPIRED: 'Key expired: ask an admin for a new key.',
} as const;

export type KeyFailure = keyof typeof KEY_FAILURES;

/** UNAUTHENTICATED with the failure's message and `extensions.reason` (e.g. `KEY_REVOKED`) for scripts. */
export function keyFailure(reason: KeyFailure): UnauthenticatedError {
  return new UnauthenticatedError(KEY_FAILURES[reason], { reason });
}

/** The token of an `Authorization: Bearer <token>` value; the failure when there is none or it is not of that form. */
export function bearerToken(authorization: string | null | undefined): { token: string } | { failure: KeyFailure } {
  if (!authorization || authorization.trim() === '') return { failure: 'MISSING_KEY' };
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  return token ? { token } : { failure: 'MALFORMED_KEY' };
}
