/**
 * "Never loses a job" on Redis: jobs whose task never reached BullMQ (a gateway that died between
 * storing a job and enqueueing it; a task lost while Redis was away) are found and finished by
 * a worker: queued ones by the dispatch pass at start, submitted ones by the sweep.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { coreConfigOf, parseConfig } from '../../src/config/index.js';
import { createAvatarApi } from '../../src/core/avatar-api.js';
import { createCore, REDIS_PREFIX } from '../../src/core/index.js';
import { openRedisJobStore } from '../../src/core/store/redis/store.js';
import { createFakeAvatarServer, type FakeAvatarServer } from '../fakes/avatar/index.js';
import { makeJob, OPEN_RULES } from '../core/store/store-contract.js';
import { FAST_ENV } from '../helpers/harness.js';
import { makeJpeg, makeTone } from '../helpers/media.js';
import { recordingReply } from '../helpers/recording-reply.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { runTs } from '../helpers/spawn.js';

let redis: RedisServer;
let mock: FakeAvatarServer;
const dir = mkdtempSync(join(tmpdir(), 'tab-redis-recovery-'));

beforeAll(async () => {
  redis = await startRedis();
  mock = createFakeAvatarServer({ renderMs: () => 200, queueMs: 10, render: false });
  await mock.start();
});
afterAll(async () => {
  await mock?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a worker finishes jobs that have no task: a queued one at start, a submitted one by the sweep', { timeout: 60_000 }, async () => {
  const media = { image: await makeJpeg(), imageType: 'image/jpeg', audio: await makeTone(1), audioType: 'audio/wav', audioSeconds: 1 };
  // What a gateway leaves when it dies right after storing: the jobs, and no BullMQ task.
  const conn = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  const store = openRedisJobStore(conn, { prefix: REDIS_PREFIX });
  const queued = makeJob({ createdAt: Date.now(), updatedAt: Date.now() });
  expect(await store.insertJob(queued, media, OPEN_RULES)).toBe('ok');
  // ...and a job already at the service whose next poll task was lost.
  const api = createAvatarApi({ baseUrl: mock.url, apiKey: undefined, requestTimeoutMs: 5000 }, { logger: pino({ level: 'silent' }) });
  const task = await api.submit({ image: media.image, audio: media.audio });
  const t = Date.now();
  const submitted = makeJob({ requesterId: 'bob', createdAt: t, updatedAt: t });
  expect(await store.insertJob(submitted, media, OPEN_RULES)).toBe('ok');
  expect(await store.claimSubmit(submitted.id, { inFlight: 10, perPerson: 10, perGroup: 10 }, t, 'dead-worker')).toBe('ok');
  await store.updateJob(submitted.id, {
    state: 'submitted',
    taskId: task.taskId,
    submittedAt: t,
    nextPollAt: t - 60_000,
    deadlineAt: t + 60_000,
    etaAt: t,
  });
  await store.close();
  await conn.quit();

  const config = parseConfig({
    ...FAST_ENV,
    ROLE: 'worker',
    REDIS_URL: redis.url,
    AVATAR_API_URL: mock.url,
    AVATAR_API_KEY: 'test-key',
    WORKER_LOCK_SECONDS: '1',
    DATA_DIR: join(dir, 'unused'),
  });
  const worker = createCore(coreConfigOf(config), { logger: pino({ level: 'silent' }) });
  const reply = recordingReply();
  worker.core.registerReply('test', reply);
  try {
    await worker.start();
    expect((await reply.waitForFinal(queued.id, 20_000)).kind).toBe('result');
    expect((await reply.waitForFinal(submitted.id, 20_000)).kind).toBe('result');
    await expect.poll(async () => (await worker.core.jobs.get(submitted.id))?.delivered, { timeout: 5000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(reply.finals(queued.id)).toHaveLength(1);
    expect(reply.finals(submitted.id)).toHaveLength(1);
    // The submitted job was polled, never sent again: one submit for it (ours above), one for the queued job.
    expect(mock.stats().submits).toBe(2);
  } finally {
    await worker.stop();
  }
});

test('a replica whose Redis does not answer stops at start with words, not a stack, and no password', { timeout: 60_000 }, async () => {
  const r = await runTs('src/main.ts', [], {
    cwd: dir,
    timeoutMs: 40_000,
    env: {
      ROLE: 'worker',
      PORT: '0',
      REDIS_URL: 'redis://:pw-SECRET-redis@127.0.0.1:9/0',
      AVATAR_API_URL: mock.url,
      AVATAR_API_KEY: 'test-key',
      LOG_LEVEL: 'silent',
    },
  });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/Redis at 127\.0\.0\.1:9 did not answer \(.*ECONNREFUSED.*\): is it running, and is REDIS_URL right\?/);
  expect(r.stdout + r.stderr).not.toContain('pw-SECRET-redis');
});
