/**
 * Password hashing and policy. scrypt from node:crypto with OWASP's current parameters
 * (N=2^15, r=8, p=3: the 32 MiB point of the equivalent set OWASP lists for scrypt); the parameters
 * are stored with each hash, so they can be raised later without locking anyone out. Comparison is
 * constant-time. No native dependency (npm here does not run install scripts).
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { BadInputError } from '../errors';
import { COMMON_PASSWORDS } from './common-passwords';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
const PARAMS = { N: 2 ** 15, r: 8, p: 3 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** A hash nobody's password matches: compared against when the account is unknown, so both cases cost the same. */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(24).toString('base64'));
  return decoy;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const hash = stored ?? (await decoyHash());
  const [kind, n, r, p, salt, key] = hash.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected) && stored !== null;
}

/** Length and a check against the most common passwords; the field names the input at fault. */
export function assertAcceptablePassword(password: string, field: string, context: { email?: string | null; name?: string | null } = {}): void {
  if (typeof password !== 'string' || password.length < PASSWORD_MIN_LENGTH)
    throw new BadInputError(field, `A password needs at least ${PASSWORD_MIN_LENGTH} characters.`);
  if (password.length > PASSWORD_MAX_LENGTH) throw new BadInputError(field, `A password has at most ${PASSWORD_MAX_LENGTH} characters.`);
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || /^(.)\1+$/.test(password)) throw new BadInputError(field, 'This password is one of the most common ones; choose another.');
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) throw new BadInputError(field, 'A password must not contain your email address.');
}
