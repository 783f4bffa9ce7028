/**
 * API key format (pure): `pm_<env>_<keyId>_<secret>_<checksum>`. The key id is the public lookup
 * handle, the secret is 190 random bits stored only as a SHA-256 hash, and the CRC-32 checksum lets a
 * mistyped key be rejected without a database read.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_PATTERN = /^pm_([a-z]{2,8})_([0-9a-f]{16})_([0-9A-Za-z]{32})_([0-9a-f]{8})$/;

export type ParsedKey = { env: string; keyId: string; secret: string };

function base62(bytes: Buffer, length: number): string {
  let out = '';
  // Rejection sampling keeps every character uniformly distributed.
  let i = 0;
  while (out.length < length) {
    if (i >= bytes.length) {
      bytes = randomBytes(length * 2);
      i = 0;
    }
    const b = bytes[i++]!;
    if (b < 248) out += BASE62[b % 62];
  }
  return out;
}

function checksum(body: string): string {
  return crc32(body).toString(16).padStart(8, '0');
}

export function generateKey(env: string): { key: string; keyId: string; prefix: string; secretHash: string } {
  const keyId = randomBytes(8).toString('hex');
  const secret = base62(randomBytes(64), 32);
  const body = `pm_${env}_${keyId}_${secret}`;
  return { key: `${body}_${checksum(body)}`, keyId, prefix: `pm_${env}_${keyId}`, secretHash: hashSecret(secret) };
}

/** Returns null for anything that is not a well-formed key with a valid checksum. */
export function parseKey(key: string): ParsedKey | null {
  const m = KEY_PATTERN.exec(key);
  if (!m) return null;
  const [, env, keyId, secret, sum] = m as unknown as [string, string, string, string, string];
  if (checksum(`pm_${env}_${keyId}_${secret}`) !== sum) return null;
  return { env, keyId, secret };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
