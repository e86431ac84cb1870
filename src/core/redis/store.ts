/**
 * The job store on Redis (ioredis), shared by every replica of one deployment. Same contract
 * as the SQLite store (`../store.ts`); both pass `test/core/store-contract.ts`.
 *
 * Key layout (every key starts with `prefix`):
 *   job:{id}                   HASH  one field per JobRecord field (null: field absent; numbers as
 *                                    decimal strings; booleans '1'/'0'), plus `seq` (insertion
 *                                    counter) and `claimOwner` (who claimed the submit slot)
 *   media:{id}                 HASH  image, imageType, audio, audioType, audioSeconds (binary safe)
 *   seq                        STRING insertion counter (ties between equal createdAt)
 *   waiting                    ZSET  queued jobs with no slot claimed (score createdAt)
 *   unfinished                 ZSET  queued, submitted, or final but not delivered (score createdAt)
 *   active                     HASH  slot counters: total, p:{platform}:{requesterId}, g:{platform}:{groupId}
 *   byreq:{platform}:{req}     ZSET  jobs created by a person (score createdAt), last 2 days
 *   bygrp:{platform}:{group}   ZSET  jobs created in a group (score createdAt), last 2 days
 *   states                     HASH  {platform}|{state} -> count
 *   face:{platform}:{userId}   STRING the person's last face (binary)
 *   dedupe:{key}               STRING set with NX PX
 *   kv, secrets                HASH
 * Sorted-set members are `{seq, 16 digits}:{id}`, so equal scores keep insertion order.
 *
 * Differences from SQLite, by design:
 * - The per-person / per-group creation logs are trimmed to the last 2 days on every insert, so
 *   `listForRequester` returns only jobs created within 2 days of that person's latest job, and
 *   `countCreatedSince` only counts that far back (quotas look back one day: they stay exact).
 * - `countActive().byGroup` has no entry for jobs without a group (SQLite reports them under
 *   `platform:`); nothing reads that key (group caps never apply to groupless jobs).
 * - Media expires by itself (PEXPIREAT): `purgeExpiredMedia` returns 0.
 * - `claimKey` expires on the Redis server's clock (PX ttlMs), not at `now + ttlMs`.
 * - Job hashes are kept forever, as SQLite keeps its rows.
 * - The connection belongs to the caller: `close()` only marks the store closed (later calls
 *   reject, `ping` answers false); quit the connection yourself. Do not set ioredis' own
 *   `keyPrefix` on it (the Lua scripts build their keys from `prefix`): use `prefix` instead.
 * - Works on one Redis server (or a primary with Sentinel), not on Redis Cluster: scripts touch
 *   keys they only learn from the job hash.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ClaimOutcome, InsertOutcome, JobPatch, JobRecord, JobStore } from '../job-store.js';
import type { JobState, PreparedMedia } from '../ports.js';
import { CLAIM_SUBMIT, INSERT_JOB, UPDATE_JOB } from './lua.js';

export interface RedisJobStoreOptions {
  /** Every key starts with it, e.g. `avatar:` (one deployment, or one test). */
  prefix: string;
  /** `ping` answers false when Redis has not answered within this (default 2000 ms). */
  pingTimeoutMs?: number;
}

/** Creation logs keep this much history (quotas need one day). */
const LOG_KEEP_MS = 2 * 86_400_000;

type Kind = 'string' | 'string?' | 'number' | 'number?' | 'boolean';

/** How each JobRecord field is stored; the order is the order of the decoded record. */
const FIELDS: Record<keyof JobRecord, Kind> = {
  id: 'string',
  platform: 'string',
  requesterId: 'string',
  groupId: 'string',
  replyTo: 'string',
  replyState: 'string?',
  state: 'string',
  taskId: 'string?',
  taskStatus: 'string?',
  fileUrl: 'string?',
  outputDuration: 'number?',
  audioSeconds: 'number',
  errorCode: 'string?',
  errorMessage: 'string?',
  createdAt: 'number',
  updatedAt: 'number',
  submittedAt: 'number?',
  finishedAt: 'number?',
  etaAt: 'number?',
  delivered: 'boolean',
  deliveredAt: 'number?',
  preview: 'boolean',
  webhookToken: 'string?',
  submitStartedAt: 'number?',
  nextPollAt: 'number?',
  pollCount: 'number',
  deadlineAt: 'number?',
  deliveryStartedAt: 'number?',
  retryOf: 'string?',
};
const FIELD_NAMES = Object.keys(FIELDS) as Array<keyof JobRecord>;

/** One field's stored form; null: the field is absent (a null value). Throws on a null where none is allowed. */
function encodeField(field: keyof JobRecord, value: unknown): string | null {
  const kind = FIELDS[field];
  if (value === null || value === undefined) {
    if (kind.endsWith('?')) return null;
    throw new TypeError(`job field ${field} cannot be null`);
  }
  switch (kind) {
    case 'boolean':
      return value === true ? '1' : '0';
    case 'number':
    case 'number?':
      if (typeof value !== 'number') throw new TypeError(`job field ${field} must be a number`);
      return String(value);
    default:
      if (typeof value !== 'string') throw new TypeError(`job field ${field} must be a string`);
      return value;
  }
}

function decodeJob(h: Record<string, string>): JobRecord {
  const out: Record<string, unknown> = {};
  for (const field of FIELD_NAMES) {
    const kind = FIELDS[field];
    const raw = h[field];
    if (raw === undefined) {
      if (kind === 'boolean') out[field] = false;
      else if (kind === 'number') out[field] = 0;
      else if (kind === 'string') out[field] = '';
      else out[field] = null;
    } else if (kind === 'boolean') out[field] = raw === '1';
    else if (kind === 'number' || kind === 'number?') out[field] = Number(raw);
    else out[field] = raw;
  }
  return out as unknown as JobRecord;
}

/** HGETALL as a flat [field, value, ...] array (a Lua script's answer) to an object. */
function pairsToObject(flat: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(flat)) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1]);
  return out;
}

/** A sorted-set member `{seq}:{id}` to the job id. */
function idOf(member: string): string {
  return member.slice(member.indexOf(':') + 1);
}

interface Script {
  lua: string;
  sha: string;
}

function script(lua: string): Script {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

const SCRIPTS = { insert: script(INSERT_JOB), claim: script(CLAIM_SUBMIT), update: script(UPDATE_JOB) };

export function openRedisJobStore(redis: Redis, options: RedisJobStoreOptions): JobStore {
  const prefix = options.prefix;
  const pingTimeoutMs = options.pingTimeoutMs ?? 2000;
  if (typeof redis.options.keyPrefix === 'string' && redis.options.keyPrefix !== '') {
    throw new Error('openRedisJobStore: use options.prefix, not the connection keyPrefix (Lua scripts build their own keys)');
  }
  let closed = false;
  const k = (suffix: string): string => prefix + suffix;

  function open(): void {
    if (closed) throw new Error('the Redis job store is closed');
  }

  /** EVALSHA, loading the script with EVAL the first time the server lacks it (as ioredis' defineCommand does). */
  async function run(s: Script, args: Array<string | Buffer>): Promise<unknown> {
    open();
    try {
      return await redis.evalsha(s.sha, 0, prefix, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return redis.eval(s.lua, 0, prefix, ...args);
      throw err;
    }
  }

  async function jobsByIds(ids: string[]): Promise<JobRecord[]> {
    if (ids.length === 0) return [];
    const pipe = redis.pipeline();
    for (const id of ids) pipe.hgetall(k(`job:${id}`));
    const results = (await pipe.exec()) ?? [];
    const jobs: JobRecord[] = [];
    for (const [err, h] of results) {
      if (err !== null) throw err;
      const hash = h as Record<string, string>;
      if (hash.id !== undefined) jobs.push(decodeJob(hash));
    }
    return jobs;
  }

  /** ZRANGE-style stop index for a SQL-like limit (negative: no limit, as in SQLite). */
  function stopOf(limit: number): number {
    return limit < 0 ? -1 : Math.floor(limit) - 1;
  }

  return {
    async insertJob(job, media, rules) {
      const pairs: string[] = [];
      for (const field of FIELD_NAMES) {
        const v = encodeField(field, job[field]);
        if (v !== null) pairs.push(field, v);
      }
      const outcome = await run(SCRIPTS.insert, [
        job.id,
        String(rules.dayStart),
        String(rules.quotaPerPerson),
        String(rules.quotaPerGroup),
        String(rules.queueMax),
        String(job.createdAt - LOG_KEEP_MS),
        Buffer.from(media.image.buffer, media.image.byteOffset, media.image.byteLength),
        media.imageType,
        Buffer.from(media.audio.buffer, media.audio.byteOffset, media.audio.byteLength),
        media.audioType,
        String(media.audioSeconds),
        ...pairs,
      ]);
      return outcome as InsertOutcome;
    },

    async getJob(id) {
      open();
      const h = await redis.hgetall(k(`job:${id}`));
      return h.id === undefined ? null : decodeJob(h);
    },

    async updateJob(id, patch, expectState) {
      const set: string[] = [];
      const del: string[] = [];
      for (const [name, value] of Object.entries(patch)) {
        // id and createdAt are not patchable (JobPatch omits them); unknown names are ignored.
        if (name === 'id' || name === 'createdAt' || name === 'updatedAt' || !(name in FIELDS)) continue;
        const v = encodeField(name as keyof JobRecord, value);
        if (v === null) del.push(name);
        else set.push(name, v);
      }
      set.push('updatedAt', String(patch.updatedAt ?? Date.now()));
      const newState: JobState | undefined = patch.state ?? undefined;
      const reply = await run(SCRIPTS.update, [
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
      const outcome = await run(SCRIPTS.claim, [
        id,
        String(caps.inFlight),
        String(caps.perPerson),
        String(caps.perGroup),
        String(now),
        owner,
      ]);
      return outcome as ClaimOutcome;
    },

    async unfinishedJobs() {
      open();
      return jobsByIds((await redis.zrange(k('unfinished'), 0, '-1')).map(idOf));
    },

    async waitingJobs(limit) {
      open();
      if (limit === 0) return [];
      return jobsByIds((await redis.zrange(k('waiting'), 0, String(stopOf(limit)))).map(idOf));
    },

    async countActive() {
      open();
      const h = await redis.hgetall(k('active'));
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
        redis.zcount(k(`byreq:${platform}:${requesterId}`), since, '+inf'),
        groupId === '' ? Promise.resolve(0) : redis.zcount(k(`bygrp:${platform}:${groupId}`), since, '+inf'),
      ]);
      return { person, group };
    },

    async listForRequester(platform, requesterId, limit) {
      open();
      if (limit === 0) return [];
      return jobsByIds((await redis.zrevrange(k(`byreq:${platform}:${requesterId}`), 0, stopOf(limit))).map(idOf));
    },

    async getMedia(jobId) {
      open();
      const h = await redis.hgetallBuffer(k(`media:${jobId}`));
      const { image, imageType, audio, audioType, audioSeconds } = h;
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
      if (keepUntil === undefined) await redis.del(k(`media:${jobId}`));
      else await redis.pexpireat(k(`media:${jobId}`), Math.ceil(keepUntil));
    },

    async purgeExpiredMedia() {
      open();
      return 0;
    },

    async getFace(platform, userId) {
      open();
      return redis.getBuffer(k(`face:${platform}:${userId}`));
    },

    async saveFace(platform, userId, image) {
      open();
      await redis.set(k(`face:${platform}:${userId}`), Buffer.from(image.buffer, image.byteOffset, image.byteLength));
    },

    async clearFace(platform, userId) {
      open();
      return (await redis.del(k(`face:${platform}:${userId}`))) > 0;
    },

    async claimKey(key, ttlMs) {
      open();
      const r = await redis.set(k(`dedupe:${key}`), '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
      return r === 'OK';
    },

    async getValue(key) {
      open();
      return redis.hget(k('kv'), key);
    },

    async setValue(key, value) {
      open();
      await redis.hset(k('kv'), key, value);
    },

    secrets: {
      async get(key) {
        open();
        return redis.hget(k('secrets'), key);
      },
      async put(key, value) {
        open();
        await redis.hset(k('secrets'), key, value);
      },
      async delete(key) {
        open();
        return (await redis.hdel(k('secrets'), key)) > 0;
      },
    },

    async countByStateAndPlatform() {
      open();
      const h = await redis.hgetall(k('states'));
      const rows: Array<{ platform: string; state: JobState; n: number }> = [];
      for (const [field, value] of Object.entries(h)) {
        const n = Number(value);
        const bar = field.lastIndexOf('|');
        if (!(n > 0) || bar < 0) continue;
        rows.push({ platform: field.slice(0, bar), state: field.slice(bar + 1) as JobState, n });
      }
      // SQLite's GROUP BY platform, state order.
      rows.sort((a, b) => (a.platform < b.platform ? -1 : a.platform > b.platform ? 1 : a.state < b.state ? -1 : a.state > b.state ? 1 : 0));
      return rows;
    },

    async countWaiting() {
      open();
      return redis.zcard(k('waiting'));
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
