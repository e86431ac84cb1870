import { expect, test } from 'vitest';
import { createConsentWaits } from '../../../src/bots/shared/consent-waits.js';

test('a waiting request goes back to its owner once; someone else is refused and it stays', () => {
  const waits = createConsentWaits<{ text: string }>();
  const nonce = waits.keep('alice', { text: 'hello' });
  expect(nonce).toMatch(/^[\w-]{12}$/);
  expect(waits.take(nonce, 'bob')).toEqual({ kind: 'not-yours' });
  expect(waits.take(nonce, 'alice')).toEqual({ kind: 'mine', request: { text: 'hello' } });
  expect(waits.take(nonce, 'alice')).toEqual({ kind: 'gone' });
  expect(waits.take('no-such-nonce', 'alice')).toEqual({ kind: 'gone' });
});

test('a wait expires after its time, and the count stays bounded (oldest first)', () => {
  let t = 1000;
  const waits = createConsentWaits<number>({ ttlMs: 60_000, max: 3, now: () => t });
  const first = waits.keep('alice', 1);
  t += 59_999;
  expect(waits.take(first, 'alice')).toEqual({ kind: 'mine', request: 1 });
  const old = waits.keep('alice', 2);
  t += 60_000;
  expect(waits.take(old, 'alice')).toEqual({ kind: 'gone' });

  const nonces = [1, 2, 3, 4, 5].map((n) => waits.keep(`p${n}`, n));
  expect(waits.size()).toBe(3);
  expect(waits.take(nonces[0] ?? '', 'p1')).toEqual({ kind: 'gone' });
  expect(waits.take(nonces[1] ?? '', 'p2')).toEqual({ kind: 'gone' });
  expect(waits.take(nonces[4] ?? '', 'p5')).toEqual({ kind: 'mine', request: 5 });
});
