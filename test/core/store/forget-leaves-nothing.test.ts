/**
 * After forgetPerson nothing of that person is left, checked below the store's own API: every
 * row of every SQLite table (and the file's bytes), every Redis key, field and member under the
 * store's prefix. Someone else's data stays.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { JobStore } from '../../../src/core/store/port.js';
import { openRedisJobStore } from '../../../src/core/store/redis/store.js';
import { openJobStore } from '../../../src/core/store/sqlite/store.js';
import { startRedis, type RedisServer } from '../../helpers/redis-server.js';
import { bytes, DAY, makeJob, makeMedia, OPEN_RULES } from './store-contract.js';
import { openRawSqlite } from '../../helpers/sqlite.js';

const PERSON = 'forgotten-person-4411';
const OTHER = 'remembered-person-9922';

/** Jobs in every state for both people, both faces; returns each person's job ids. */
async function fill(store: JobStore): Promise<{ mine: string[]; theirs: string[] }> {
  const mine: string[] = [];
  const theirs: string[] = [];
  for (const [who, ids] of [
    [PERSON, mine],
    [OTHER, theirs],
  ] as const) {
    await store.saveFace('test', who, bytes(`face-of-${who}`), DAY);
    await store.saveVoice('test', who, `voice-of-${who}`, DAY);
    await store.saveConsent('test', who, DAY);
    const states = ['completed', 'failed', 'queued', 'submitted', 'canceled'] as const;
    for (const [i, state] of states.entries()) {
      const job = makeJob({ requesterId: who, state, delivered: state !== 'queued', createdAt: DAY - i * 5 * 86_400_000 });
      expect(await store.insertJob(job, makeMedia(`media-of-${who}-${i}`), OPEN_RULES)).toBe('ok');
      ids.push(job.id);
    }
    await store.releaseMedia(ids[1] ?? '', Date.now() + 60_000);
  }
  return { mine, theirs };
}

function mentions(text: string, needles: string[]): string[] {
  return needles.filter((n) => text.includes(n));
}

describe('forgetPerson leaves nothing of the person', () => {
  test('SQLite: no row of any table, and not in the file’s bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forget-'));
    try {
      const store = openJobStore(dir);
      const { mine, theirs } = await fill(store);
      expect(await store.forgetPerson('test', PERSON)).toEqual({ face: true, voice: true, consent: true, jobs: 5, media: 5 });
      await store.close();

      const file = join(dir, 'talking-avatar.sqlite');
      const db = openRawSqlite(file, { readonly: true });
      let everything = '';
      try {
        const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
        expect(tables.map((t) => t.name).sort()).toEqual(['consents', 'dedupe', 'faces', 'jobs', 'kv', 'media', 'secrets', 'voices']);
        for (const { name } of tables) {
          for (const row of db.prepare(`SELECT * FROM ${name}`).all() as Array<Record<string, unknown>>) {
            for (const v of Object.values(row)) everything += `${Buffer.isBuffer(v) ? v.toString('latin1') : String(v)}\n`;
          }
        }
      } finally {
        db.close();
      }
      expect(mentions(everything, [PERSON, ...mine, `face-of-${PERSON}`, `media-of-${PERSON}`])).toEqual([]);
      expect(mentions(everything, [OTHER, ...theirs, `face-of-${OTHER}`, `media-of-${OTHER}`])).toHaveLength(1 + theirs.length + 2);
      // secure_delete: the freed pages were overwritten, so the face is not in the file either.
      const raw = readFileSync(file).toString('latin1');
      expect(mentions(raw, [`face-of-${PERSON}`, `media-of-${PERSON}`])).toEqual([]);
      expect(raw.includes(`face-of-${OTHER}`)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('Redis', () => {
    let server: RedisServer | undefined;
    beforeAll(async () => {
      server = await startRedis();
    });
    afterAll(async () => {
      await server?.stop();
    });

    /** Every key under `prefix`, with its contents as text (strings, hash fields and values, set members). */
    async function dump(redis: Redis, prefix: string): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) {
          const type = await redis.type(key);
          let text = '';
          if (type === 'string') text = (await redis.getBuffer(key))?.toString('latin1') ?? '';
          else if (type === 'hash')
            text = Object.entries(await redis.hgetallBuffer(key))
              .map(([f, v]) => `${f}=${v.toString('latin1')}`)
              .join('\n');
          else if (type === 'zset') text = (await redis.zrange(key, 0, '-1')).join('\n');
          else text = `unexpected type ${type}`;
          out.set(key, text);
        }
      } while (cursor !== '0');
      return out;
    }

    test('no key, field or member mentions the person or their jobs', async () => {
      if (server === undefined) throw new Error('redis-server did not start');
      const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
      try {
        const prefix = `t${randomBytes(6).toString('hex')}:`;
        const store = openRedisJobStore(redis, { prefix });
        const { mine, theirs } = await fill(store);
        const needles = [PERSON, ...mine, `face-of-${PERSON}`, `media-of-${PERSON}`];
        const before = [...(await dump(redis, prefix))].filter(([k, v]) => mentions(k + v, needles).length > 0);
        expect(before.length).toBeGreaterThan(5); // the check below can see the person's keys

        expect(await store.forgetPerson('test', PERSON)).toEqual({ face: true, voice: true, consent: true, jobs: 5, media: 5 });
        const after = await dump(redis, prefix);
        const left = [...after].filter(([k, v]) => mentions(k + v, needles).length > 0).map(([k]) => k);
        expect(left).toEqual([]);
        const all = [...after].map(([k, v]) => `${k}\n${v}`).join('\n');
        expect(mentions(all, [OTHER, ...theirs, `face-of-${OTHER}`])).toHaveLength(1 + theirs.length + 1);
        // The derived counters hold no trace of the person either.
        expect(await redis.hgetall(`${prefix}active`)).toEqual({ total: '1', [`p:test:${OTHER}`]: '1', 'g:test:g1': '1' });
      } finally {
        await redis.quit();
      }
    });

    test('jobs stored before the retention logs existed are found (entered once, on first use)', async () => {
      if (server === undefined) throw new Error('redis-server did not start');
      const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
      try {
        const prefix = `t${randomBytes(6).toString('hex')}:`;
        const store = openRedisJobStore(redis, { prefix });
        const old = DAY - 40 * 86_400_000;
        const a = makeJob({ requesterId: PERSON, createdAt: old, state: 'completed', delivered: true });
        const b = makeJob({ requesterId: OTHER, createdAt: old, state: 'completed', delivered: true });
        const c = makeJob({ requesterId: PERSON, createdAt: old + 1, state: 'failed', delivered: true });
        for (const j of [a, b, c]) await store.insertJob(j, makeMedia(), OPEN_RULES);
        // What an older build left: no `jobs` log, person logs trimmed to two days.
        await redis.del(`${prefix}jobs`, `${prefix}byreq:test:${PERSON}`, `${prefix}byreq:test:${OTHER}`);
        const fresh = openRedisJobStore(redis, { prefix });
        expect(await fresh.forgetPerson('test', PERSON)).toEqual({ face: false, voice: false, consent: false, jobs: 2, media: 2 });
        expect(await redis.exists(`${prefix}job:${a.id}`, `${prefix}job:${c.id}`)).toBe(0);
        expect(await fresh.expireJobsBefore(DAY)).toBe(1);
        expect(await redis.exists(`${prefix}job:${b.id}`, `${prefix}media:${b.id}`)).toBe(0);
        expect(await redis.get(`${prefix}jobs:indexed`)).toBe('1');
      } finally {
        await redis.quit();
      }
    });
  });
});
