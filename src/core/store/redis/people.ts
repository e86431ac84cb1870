/**
 * Saved faces and chosen voices on Redis: one key per person and platform each (see keys.ts),
 * so forgetPerson deletes them in one DEL. Split from store.ts, as consents.ts is.
 */
import type { Redis } from 'ioredis';
import type { SavedFaces, SavedVoices } from '../port.js';
import { asBuffer } from './codec.js';
import { redisKeys } from './keys.js';

export function createRedisPeople(redis: Redis, prefix: string, open: () => void): SavedFaces & SavedVoices {
  const k = redisKeys(prefix);
  return {
    async getFace(platform, userId) {
      open();
      return redis.getBuffer(k.face(platform, userId));
    },

    async saveFace(platform, userId, image) {
      open();
      await redis.set(k.face(platform, userId), asBuffer(image));
    },

    async clearFace(platform, userId) {
      open();
      return (await redis.del(k.face(platform, userId))) > 0;
    },

    async getVoice(platform, userId) {
      open();
      return redis.get(k.voice(platform, userId));
    },

    async saveVoice(platform, userId, voiceId) {
      open();
      await redis.set(k.voice(platform, userId), voiceId);
    },

    async clearVoice(platform, userId) {
      open();
      return (await redis.del(k.voice(platform, userId))) > 0;
    },
  };
}
