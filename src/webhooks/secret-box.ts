/**
 * Webhook secrets at rest: AES-256-GCM under the server key (WEBHOOK_SECRET_KEY, else a key file
 * generated once under DATA_DIR), so a database dump alone does not reveal them. Stored as
 * `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type SecretBox = { seal(plain: string): string; open(sealed: string): string };

function keyFrom(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-f]{64}$/i.test(trimmed)) return Buffer.from(trimmed, 'hex');
  const b64 = Buffer.from(trimmed, 'base64');
  if (b64.length === 32 && /^[A-Za-z0-9+/_-]+=*$/.test(trimmed)) return b64;
  return createHash('sha256').update(trimmed).digest(); // a passphrase: stretch to 32 bytes
}

/** The configured key, or the one in `<dataDir>/webhook-secret.key` (created with mode 0600 if missing). */
export function loadServerKey(configured: string | null, dataDir: string): { key: Buffer; source: 'config' | 'file'; file?: string } {
  if (configured) return { key: keyFrom(configured), source: 'config' };
  const file = path.join(dataDir, 'webhook-secret.key');
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return { key: keyFrom(fs.readFileSync(file, 'utf8')), source: 'file', file };
}

export function createSecretBox(key: Buffer): SecretBox {
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, data] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('Unreadable sealed secret.');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** A new `whsec_` secret: 32 random bytes, base64 (Standard Webhooks: 24 to 64 bytes). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
