/**
 * Authenticated encryption for small secrets kept at rest (Slack installations): AES-256-GCM
 * with a random 12-byte IV per write and the 16-byte tag checked on every read. The AES key is
 * derived from an operator-given secret (SLACK_INSTALL_KEY) with HKDF-SHA256 and a fixed info
 * string, so the same secret always opens what it sealed and nothing else does.
 *
 * Sealed form: `v1.` + base64url(iv ‖ tag ‖ ciphertext). An optional `aad` (e.g. the storage key)
 * is authenticated too: a value copied to another key does not open there.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Fixed HKDF salt and default info: changing either changes every derived key. */
const SALT = 'talking-avatar-bot/secret-box';
const DEFAULT_INFO = 'talking-avatar-bot/slack-installations/v1';

/** A sealed value that does not open: wrong key, altered bytes, wrong `aad` or not a sealed value. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export interface SecretBox {
  /** Encrypts `plain` (UTF-8); every call uses a fresh IV, so equal inputs seal differently. */
  seal(plain: string, aad?: string): string;
  /** Decrypts and authenticates; throws SecretBoxError (never with the value in the message). */
  open(sealed: string, aad?: string): string;
}

/** Derives the AES-256 key from `secret` (HKDF-SHA256, fixed salt, `info`). */
export function deriveKey(secret: string, info: string = DEFAULT_INFO): Buffer {
  if (secret.length === 0) throw new Error('secret box: the key must not be empty');
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from(SALT, 'utf8'), Buffer.from(info, 'utf8'), KEY_BYTES));
}

export function createSecretBox(secret: string, info: string = DEFAULT_INFO): SecretBox {
  const key = deriveKey(secret, info);
  return {
    seal(plain, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed, aad) {
      if (!sealed.startsWith(VERSION)) throw new SecretBoxError('not a sealed value (unknown format)');
      const raw = Buffer.from(sealed.slice(VERSION.length), 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('sealed value too short');
      const iv = raw.subarray(0, IV_BYTES);
      const tag = raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const body = raw.subarray(IV_BYTES + TAG_BYTES);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAuthTag(tag);
        if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        // GCM says only "unable to authenticate": a different key and altered bytes look the same.
        throw new SecretBoxError('sealed value did not authenticate (wrong key or altered data)');
      }
    },
  };
}
