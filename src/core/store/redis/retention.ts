/**
 * Retention on Redis: expiring old jobs and forgetting a person, each job deleted atomically
 * with its media and index entries by a Lua script (`lua.ts`). Jobs are found through the
 * `jobs` log (every job, by creation time) and the person's creation log; jobs stored before
 * those logs were complete are entered into them once, the first time either is needed.
 */
import type { Redis } from 'ioredis';
import type { ForgetCounts, Retention } from '../port.js';
import { redisKeys } from './keys.js';
import type { ScriptName } from './scripts.js';

type Run = (name: ScriptName, args: Array<string | Buffer>) => Promise<unknown>;

/** Members handed to one script run: bounded, so no script blocks Redis for long. */
const BATCH = 500;
/** The version of the `jobs` / person logs once every stored job is in them. */
const INDEXED = '1';

function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

function numbers(reply: unknown): number[] {
  return Array.isArray(reply) ? reply.map((n) => Number(n)) : [];
}

export function createRedisRetention(redis: Redis, prefix: string, run: Run): Retention {
  const k = redisKeys(prefix);
  let indexed: Promise<void> | undefined;

  /** Enters every stored job into the logs once (idempotent: replicas may run it together). */
  async function backfill(): Promise<void> {
    if ((await redis.get(k.indexVersion)) === INDEXED) return;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${globEscape(prefix)}job:*`, 'COUNT', BATCH);
      cursor = next;
      const ids = keys.map((key) => key.slice(k.job('').length));
      if (ids.length > 0) await run('index', ids);
    } while (cursor !== '0');
    await redis.set(k.indexVersion, INDEXED);
  }

  function ensureIndexed(): Promise<void> {
    indexed ??= backfill().catch((err: unknown) => {
      indexed = undefined;
      throw err;
    });
    return indexed;
  }

  return {
    async expireJobsBefore(before) {
      await ensureIndexed();
      let deleted = 0;
      // Unfinished jobs stay at the front of the range: step over them.
      let skip = 0;
      for (;;) {
        const members = await redis.zrangebyscore(k.jobs, '-inf', `(${before}`, 'LIMIT', skip, BATCH);
        if (members.length === 0) return deleted;
        const [gone = 0, kept = 0] = numbers(await run('expire', [String(before), ...members]));
        deleted += gone;
        skip += kept;
      }
    },

    async forgetPerson(platform, requesterId): Promise<ForgetCounts> {
      await ensureIndexed();
      const [jobs = 0, media = 0, face = 0] = numbers(await run('forget', [platform, requesterId]));
      // The voice choice and the consent are keys of their own: no need for the script's atomicity.
      const voice = (await redis.del(k.voice(platform, requesterId))) > 0;
      const consent = (await redis.del(k.consent(platform, requesterId))) > 0;
      return { jobs, media, face: face > 0, voice, consent };
    },
  };
}
