/**
 * The secret box that seals Slack installations at rest: AES-256-GCM under an HKDF-derived key.
 */
import { describe, expect, it } from 'vitest';
import { createSecretBox, deriveKey, SecretBoxError } from '../../../src/bots/slack/secret-box.js';

const KEY = 'an-install-key-of-at-least-32-characters!';
const PLAIN = JSON.stringify({ bot: { token: 'xoxb-very-secret-token' }, team: { id: 'T1' } });

/** Flips one bit of the decoded payload at `index` (0-11 IV, 12-27 tag, 28+ ciphertext). */
function flip(sealed: string, index: number): string {
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  raw[index] = (raw[index] ?? 0) ^ 0x01;
  return `v1.${raw.toString('base64url')}`;
}

describe('secret box', () => {
  it('round-trips, with a fresh IV per seal and no plain text inside', () => {
    const box = createSecretBox(KEY);
    const a = box.seal(PLAIN);
    const b = box.seal(PLAIN);
    expect(a).not.toBe(b);
    expect(a.startsWith('v1.')).toBe(true);
    expect(a).not.toContain('xoxb-');
    expect(Buffer.from(a.slice(3), 'base64url').toString('latin1')).not.toContain('xoxb-');
    expect(box.open(a)).toBe(PLAIN);
    expect(box.open(b)).toBe(PLAIN);
    // Another box over the same key opens it too (the key is derived, not random).
    expect(createSecretBox(KEY).open(a)).toBe(PLAIN);
    // With associated data, the same aad is needed to open.
    const bound = box.seal(PLAIN, 'slack:installation:team:T1');
    expect(box.open(bound, 'slack:installation:team:T1')).toBe(PLAIN);
  });

  it('refuses a tampered IV, tag or ciphertext', () => {
    const box = createSecretBox(KEY);
    const sealed = box.seal(PLAIN);
    for (const i of [0, 11, 12, 27, 28, 40]) {
      expect(() => box.open(flip(sealed, i))).toThrow(SecretBoxError);
    }
    // Truncated, wrong prefix, garbage.
    expect(() => box.open(sealed.slice(0, 20))).toThrow(SecretBoxError);
    expect(() => box.open(sealed.slice(0, -4))).toThrow(SecretBoxError);
    expect(() => box.open(`v2.${sealed.slice(3)}`)).toThrow(SecretBoxError);
    expect(() => box.open(PLAIN)).toThrow(SecretBoxError);
  });

  it('refuses a wrong key and a wrong aad, without the value in the error', () => {
    const sealed = createSecretBox(KEY).seal(PLAIN, 'slack:installation:team:T1');
    let caught: unknown;
    try {
      createSecretBox(`${KEY}x`).open(sealed, 'slack:installation:team:T1');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SecretBoxError);
    expect(String((caught as Error).message)).not.toContain('xoxb-');
    // The right key but another storage key (a value copied between workspaces) does not open.
    expect(() => createSecretBox(KEY).open(sealed, 'slack:installation:team:T2')).toThrow(SecretBoxError);
    expect(() => createSecretBox(KEY).open(sealed)).toThrow(SecretBoxError);
  });

  it('derives a 32-byte key that depends on the secret and the info string', () => {
    const k = deriveKey(KEY);
    expect(k.length).toBe(32);
    expect(deriveKey(KEY).equals(k)).toBe(true);
    expect(deriveKey(`${KEY}x`).equals(k)).toBe(false);
    expect(deriveKey(KEY, 'another purpose').equals(k)).toBe(false);
    expect(() => deriveKey('')).toThrow();
  });
});
