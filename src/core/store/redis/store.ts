/**
 * The job store on Redis (ioredis), shared by every replica of one deployment. Same ports as
 * the SQLite store (`../sqlite/store.ts`); both pass `test/core/store/store-contract.ts`. The
 * key layout is in `keys.ts`; the atomic operations are Lua scripts (`lua.ts`).
 *
 * Differences from SQLite, by design:
 * - The per-group creation log is trimmed to the last 2 days on every insert, so a group's
 *   `countCreatedSince` only counts that far back (quotas look back one day: they stay exact).
 *   The per-person log keeps every job of the person (retention bounds it).
 * - `countActive().byGroup` has no entry for jobs without a group (SQLite reports them under
 *   `platform:`); nothing reads that key (group caps never apply to groupless jobs).
 * - Media expires by itself (PEXPIREAT): `purgeExpiredMedia` returns 0.
 * - `claimKey` expires on the Redis server's clock (PX ttlMs), not at `now + ttlMs`.
 * - Job hashes are kept until retention expires them or their person is forgotten (retention.ts).
 * - The connection belongs to the caller: `close()` only marks the store closed (later calls
 *   reject, `ping` answers false); quit the connection yourself. Do not set ioredis' own
 *   `keyPrefix` on it (the Lua scripts build their keys from `prefix`): use `prefix` instead.
 * - Works on one Redis server (or a primary with Sentinel), not on Redis Cluster: scripts touch
 *   keys they only learn from the job hash.
 */
import type { Redis } from 'ioredis';
import type { JobState, PreparedMedia } from '../../ports.js';
import type { InsertOutcome } from '../insert-rules.js';
import type { ClaimOutcome, JobRecord, JobStore } from '../port.js';
import { asBuffer, decodeJob, encodeField, encodeJob, idOf, isJobField, pairsToObject } from './codec.js';
import { createRedisConsents } from './consents.js';
import { createRedisPeople } from './people.js';
import { redisKeys } from './keys.js';
import { createRedisRetention } from './retention.js';
import { runScript, type ScriptName } from './scripts.js';

export interface RedisJobStoreOptions {
  /** Every key starts with it, e.g. `avatar:` (one deployment, or one test). */
  prefix: string;
  /** `ping` answers false when Redis has not answered within this (default 2000 ms). */
  pingTimeoutMs?: number;
}

/** Creation logs keep this much history (quotas need one day). */
const LOG_KEEP_MS = 2 * 86_400_000;

/** ZRANGE-style stop index for a SQL-like limit (negative: no limit, as in SQLite). */
function stopOf(limit: number): number {
  return limit < 0 ? -1 : Math.floor(limit) - 1;
}

export function openRedisJobStore(redis: Redis, options: RedisJobStoreOptions): JobStore {
  const prefix = options.prefix;
  const pingTimeoutMs = options.pingTimeoutMs ?? 2000;
  if (typeof redis.options.keyPrefix === 'string' && redis.options.keyPrefix !== '') {
    throw new Error('openRedisJobStore: use options.prefix, not the connection keyPrefix (Lua scripts build their own keys)');
  }
  const k = redisKeys(prefix);
  let closed = false;

  function open(): void {
    if (closed) throw new Error('the Redis job store is closed');
  }

  async function run(name: ScriptName, args: Array<string | Buffer>): Promise<unknown> {
    open();
    return runScript(redis, prefix, name, args);
  }

  async function jobsByIds(ids: string[]): Promise<JobRecord[]> {
    if (ids.length === 0) return [];
    const pipe = redis.pipeline();
    for (const id of ids) pipe.hgetall(k.job(id));
    const results = (await pipe.exec()) ?? [];
    const jobs: JobRecord[] = [];
    for (const [err, h] of results) {
      if (err !== null) throw err;
      const hash = h as Record<string, string>;
      if (hash.id !== undefined) jobs.push(decodeJob(hash));
    }
    return jobs;
  }

  return {
    ...createRedisRetention(redis, prefix, run),
    ...createRedisConsents(redis, prefix, open),
    ...createRedisPeople(redis, prefix, open),

    async insertJob(job, media, rules) {
      const outcome = await run('insert', [
        job.id,
        String(rules.dayStart),
        String(rules.quotaPerPerson),
        String(rules.quotaPerGroup),
        String(rules.queueMax),
        String(job.createdAt - LOG_KEEP_MS),
        asBuffer(media.image),
        media.imageType,
        asBuffer(media.audio),
        media.audioType,
        String(media.audioSeconds),
        ...encodeJob(job),
      ]);
      return outcome as InsertOutcome;
    },

    async getJob(id) {
      open();
      const h = await redis.hgetall(k.job(id));
      return h.id === undefined ? null : decodeJob(h);
    },

    async updateJob(id, patch, expectState) {
      const set: string[] = [];
      const del: string[] = [];
      for (const [name, value] of Object.entries(patch)) {
        // id and createdAt are not patchable (JobPatch omits them); unknown names are ignored.
        if (name === 'id' || name === 'createdAt' || name === 'updatedAt' || !isJobField(name)) continue;
        const v = encodeField(name, value);
        if (v === null) del.push(name);
        else set.push(name, v);
      }
      set.push('updatedAt', String(patch.updatedAt ?? Date.now()));
      const newState: JobState | undefined = patch.state ?? undefined;
      const reply = await run('update', [
        id,
        expectState === undefined ? '0' : '1',
        expectState ?? '',
        newState ?? '',
        String(set.length),
        ...set,
        ...del,
      ]);
      if (reply === null) return null;
      const h = pairsToObject(reply);
      return h.id === undefined ? null : decodeJob(h);
    },

    async claimSubmit(id, caps, now, owner) {
      const outcome = await run('claim', [id, String(caps.inFlight), String(caps.perPerson), String(caps.perGroup), String(now), owner]);
      return outcome as ClaimOutcome;
    },

    async unfinishedJobs() {
      open();
      return jobsByIds((await redis.zrange(k.unfinished, 0, '-1')).map(idOf));
    },

    async waitingJobs(limit) {
      open();
      if (limit === 0) return [];
      return jobsByIds((await redis.zrange(k.waiting, 0, String(stopOf(limit)))).map(idOf));
    },

    async countActive() {
      open();
      const h = await redis.hgetall(k.active);
      const byRequester = new Map<string, number>();
      const byGroup = new Map<string, number>();
      let total = 0;
      for (const [field, value] of Object.entries(h)) {
        const n = Number(value);
        if (!(n > 0)) continue;
        if (field === 'total') total = n;
        else if (field.startsWith('p:')) byRequester.set(field.slice(2), n);
        else if (field.startsWith('g:')) byGroup.set(field.slice(2), n);
      }
      return { total, byRequester, byGroup };
    },

    async countCreatedSince(since, platform, requesterId, groupId) {
      open();
      const [person, group] = await Promise.all([
        redis.zcount(k.byRequester(platform, requesterId), since, '+inf'),
        groupId === '' ? Promise.resolve(0) : redis.zcount(k.byGroup(platform, groupId), since, '+inf'),
      ]);
      return { person, group };
    },

    async listForRequester(platform, requesterId, limit) {
      open();
      if (limit === 0) return [];
      const visible = (jobs: JobRecord[]): JobRecord[] => jobs.filter((j) => j.discardedAt === null);
      if (limit < 0) return visible(await jobsByIds((await redis.zrevrange(k.byRequester(platform, requesterId), 0, -1)).map(idOf)));
      // Deleted results stay in the person's log (quotas, forget): page past them.
      const found: JobRecord[] = [];
      for (let start = 0; found.length < limit; start += limit) {
        const members = await redis.zrevrange(k.byRequester(platform, requesterId), start, start + limit - 1);
        if (members.length === 0) break;
        found.push(...visible(await jobsByIds(members.map(idOf))).slice(0, limit - found.length));
      }
      return found;
    },

    async countWaiting() {
      open();
      return redis.zcard(k.waiting);
    },

    async getMedia(jobId) {
      open();
      const { image, imageType, audio, audioType, audioSeconds } = await redis.hgetallBuffer(k.media(jobId));
      if (image === undefined || imageType === undefined || audio === undefined || audioType === undefined || audioSeconds === undefined) {
        return null;
      }
      const media: PreparedMedia = {
        image,
        imageType: imageType.toString(),
        audio,
        audioType: audioType.toString(),
        audioSeconds: Number(audioSeconds.toString()),
      };
      return media;
    },

    async releaseMedia(jobId, keepUntil) {
      open();
      if (keepUntil === undefined) await redis.del(k.media(jobId));
      else await redis.pexpireat(k.media(jobId), Math.ceil(keepUntil));
    },

    async purgeExpiredMedia() {
      open();
      return 0;
    },

    async claimKey(key, ttlMs) {
      open();
      return (await redis.set(k.dedupe(key), '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK';
    },

    async getValue(key) {
      open();
      return redis.hget(k.values, key);
    },

    async setValue(key, value) {
      open();
      await redis.hset(k.values, key, value);
    },

    installations: {
      async get(key) {
        open();
        return redis.hget(k.installations, key);
      },
      async put(key, value) {
        open();
        await redis.hset(k.installations, key, value);
      },
      async delete(key) {
        open();
        return (await redis.hdel(k.installations, key)) > 0;
      },
    },

    async countByStateAndPlatform() {
      open();
      const h = await redis.hgetall(k.states);
      const rows: Array<{ platform: string; state: JobState; n: number }> = [];
      for (const [field, value] of Object.entries(h)) {
        const n = Number(value);
        const bar = field.lastIndexOf('|');
        if (!(n > 0) || bar < 0) continue;
        rows.push({ platform: field.slice(0, bar), state: field.slice(bar + 1) as JobState, n });
      }
      // SQLite's GROUP BY platform, state order.
      const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      rows.sort((a, b) => order(a.platform, b.platform) || order(a.state, b.state));
      return rows;
    },

    async ping() {
      if (closed) return false;
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<string>((resolve) => {
          timer = setTimeout(() => resolve('TIMEOUT'), pingTimeoutMs);
        });
        return (await Promise.race([redis.ping(), timeout])) === 'PONG';
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },

    async close() {
      closed = true;
    },
  };
}
