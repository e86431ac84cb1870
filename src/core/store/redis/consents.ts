/**
 * Consents on Redis: one key per person and platform holding when they confirmed (see keys.ts).
 * A key of its own, beside the voice key, so forgetPerson deletes it in one DEL.
 */
import type { Redis } from 'ioredis';
import type { Consents } from '../port.js';
import { redisKeys } from './keys.js';

export function createRedisConsents(redis: Redis, prefix: string, open: () => void): Consents {
  const k = redisKeys(prefix);
  return {
    async getConsent(platform, userId) {
      open();
      const raw = await redis.get(k.consent(platform, userId));
      if (raw === null) return null;
      const at = Number(raw);
      // A value this code did not write reads as "not given": asking again is the safe side.
      return Number.isFinite(at) ? at : null;
    },
    async saveConsent(platform, userId, now) {
      open();
      await redis.set(k.consent(platform, userId), String(now));
    },
  };
}
