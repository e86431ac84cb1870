/**
 * The one store contract, run against SQLite (in memory) and Redis (a real redis-server on a
 * loopback port, started for this file; a fresh key prefix per test), plus what only Redis has.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openRedisJobStore } from '../../../src/core/store/redis/store.js';
import { openJobStore } from '../../../src/core/store/sqlite/store.js';
import { startRedis, type RedisServer } from '../../helpers/redis-server.js';
import { DAY, makeJob, makeMedia, OPEN_RULES, storeContract } from './store-contract.js';

storeContract('SQLite', async () => {
  const store = openJobStore(':memory:');
  return { store, close: () => store.close() };
});

let server: RedisServer | undefined;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server?.stop();
});

function connect(): Redis {
  if (server === undefined) throw new Error('redis-server did not start');
  // Loopback only; fail fast instead of queueing commands forever if the server is gone.
  return new Redis(server.url, { maxRetriesPerRequest: 1, connectTimeout: 5000 });
}

async function quit(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  await redis.quit().catch(() => redis.disconnect());
}

const freshPrefix = () => `t${randomBytes(6).toString('hex')}:`;

storeContract('Redis', async () => {
  const redis = connect();
  const store = openRedisJobStore(redis, { prefix: freshPrefix() });
  return {
    store,
    close: async () => {
      await store.close();
      await quit(redis);
    },
  };
});

describe('Redis job store: what only Redis has', () => {
  async function allKeys(redis: Redis): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys;
  }

  test('every key it writes starts with the prefix', async () => {
    const redis = connect();
    try {
      const before = new Set(await allKeys(redis));
      const prefix = freshPrefix();
      const store = openRedisJobStore(redis, { prefix });
      const job = makeJob({ groupId: 'g9' });
      expect(await store.insertJob(job, makeMedia(), OPEN_RULES)).toBe('ok');
      expect(await store.claimSubmit(job.id, { inFlight: 5, perPerson: 5, perGroup: 5 }, DAY, 'o')).toBe('ok');
      await store.updateJob(job.id, { state: 'completed', delivered: true });
      await store.releaseMedia(job.id, Date.now() + 60_000);
      await store.saveFace('test', 'bob', new Uint8Array([1, 2, 3]), DAY);
      await store.claimKey('k', 60_000, Date.now());
      await store.setValue('a', 'b');
      await store.installations.put('c', 'd');
      const created = (await allKeys(redis)).filter((k) => !before.has(k));
      expect(created.length).toBeGreaterThan(5);
      expect(created.filter((k) => !k.startsWith(prefix))).toEqual([]);
    } finally {
      await quit(redis);
    }
  });

  test('two replicas (two connections, one prefix) share the exact queue limit, caps and de-duplication', async () => {
    const r1 = connect();
    const r2 = connect();
    try {
      const prefix = freshPrefix();
      const stores = [openRedisJobStore(r1, { prefix }), openRedisJobStore(r2, { prefix })];
      const rules = { ...OPEN_RULES, queueMax: 10 };
      const jobs = Array.from({ length: 30 }, (_, i) => makeJob({ requesterId: `p${i % 4}` }));
      const inserted = await Promise.all(jobs.map((j, i) => stores[i % 2]!.insertJob(j, makeMedia(), rules)));
      expect(inserted.filter((o) => o === 'ok')).toHaveLength(10);
      const waiting = await stores[1]!.waitingJobs(100);
      expect(waiting).toHaveLength(10);
      const claims = await Promise.all(
        waiting.map((j, i) => stores[i % 2]!.claimSubmit(j.id, { inFlight: 3, perPerson: 10, perGroup: 10 }, DAY, `o${i}`)),
      );
      expect(claims.filter((o) => o === 'ok')).toHaveLength(3);
      expect((await stores[0]!.countActive()).total).toBe(3);
      // A Slack event retried onto both replicas at once starts one job: one claim wins.
      const dedupe = await Promise.all(Array.from({ length: 10 }, (_, i) => stores[i % 2]!.claimKey('slack:event:Ev1', 60_000, DAY)));
      expect(dedupe.filter(Boolean)).toHaveLength(1);
    } finally {
      await quit(r1);
      await quit(r2);
    }
  });

  test('scripts are reloaded when the server lost them (SCRIPT FLUSH, restart)', async () => {
    const redis = connect();
    try {
      const store = openRedisJobStore(redis, { prefix: freshPrefix() });
      const a = makeJob();
      expect(await store.insertJob(a, makeMedia(), OPEN_RULES)).toBe('ok');
      await redis.script('FLUSH');
      expect(await store.claimSubmit(a.id, { inFlight: 1, perPerson: 1, perGroup: 1 }, DAY, 'o')).toBe('ok');
      await redis.script('FLUSH');
      expect(await store.updateJob(a.id, { state: 'failed' })).toMatchObject({ state: 'failed' });
      await redis.script('FLUSH');
      expect(await store.insertJob(makeJob(), makeMedia(), OPEN_RULES)).toBe('ok');
    } finally {
      await quit(redis);
    }
  });

  test('media kept with a deadline carries a Redis expiry; releasing now deletes the key', async () => {
    const redis = connect();
    try {
      const prefix = freshPrefix();
      const store = openRedisJobStore(redis, { prefix });
      const a = makeJob();
      await store.insertJob(a, makeMedia(), OPEN_RULES);
      expect(await redis.pttl(`${prefix}media:${a.id}`)).toBe(-1);
      await store.releaseMedia(a.id, Date.now() + 60_000);
      const ttl = await redis.pttl(`${prefix}media:${a.id}`);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      expect(await store.purgeExpiredMedia(Date.now())).toBe(0);
      await store.releaseMedia(a.id);
      expect(await redis.exists(`${prefix}media:${a.id}`)).toBe(0);
    } finally {
      await quit(redis);
    }
  });

  test('ping answers false (bounded) when the server is unreachable, and after close', async () => {
    if (server === undefined) throw new Error('redis-server did not start');
    // Port 1 on loopback: nothing listens there; the connection never retries.
    const dead = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => undefined);
    try {
      const store = openRedisJobStore(dead, { prefix: freshPrefix(), pingTimeoutMs: 1000 });
      const started = Date.now();
      expect(await store.ping()).toBe(false);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      dead.disconnect();
    }
    const redis = connect();
    try {
      const store = openRedisJobStore(redis, { prefix: freshPrefix() });
      expect(await store.ping()).toBe(true);
      await store.close();
      expect(await store.ping()).toBe(false);
      await expect(store.getJob('x')).rejects.toThrow(/closed/);
      expect(redis.status).toBe('ready'); // the connection is the caller's
    } finally {
      await quit(redis);
    }
  });

  test('refuses a connection with its own keyPrefix', async () => {
    const redis = new Redis({ lazyConnect: true, keyPrefix: 'x:' });
    try {
      expect(() => openRedisJobStore(redis, { prefix: 'p:' })).toThrow(/keyPrefix/);
    } finally {
      redis.disconnect();
    }
  });
});
