/**
 * 50 jobs through a real core and the local avatar server over loopback HTTP, under a seeded
 * mix of every fault the server has: 5xx, 429 + Retry-After, connection resets, stalls past
 * the client's request timeout, malformed JSON, and tasks stuck IN_PROGRESS (ended by our own
 * short deadline). Every job must end, be answered exactly once, and poll a bounded number of
 * times; nothing may reject unhandled.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bytesInput } from '../../src/core/media-input.js';
import { voiceFile } from '../../src/core/ports.js';
import { isFinal, type JobView } from '../../src/core/ports.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { makeJpeg, makeTone } from '../helpers/media.js';
import { recordingReply } from '../helpers/recording-reply.js';

const JOBS = 50;
const DEADLINE_S = 3;
const POLL_MAX_S = 0.3;
const MAX_RETRIES = 4; // the client's default: attempts after the first, per status call
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
let h: Harness;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  h = await startHarness({
    env: {
      AVATAR_REQUEST_TIMEOUT_SECONDS: '1',
      AVATAR_TIMEOUT_SECONDS: String(DEADLINE_S),
      AVATAR_POLL_FIRST_SECONDS: '0.1',
      AVATAR_POLL_MAX_INTERVAL_SECONDS: String(POLL_MAX_S),
    },
    mockOptions: {
      render: false,
      renderMs: () => 300,
      queueMs: 30,
      seed: 20261123,
      faults: {
        error5xx: 0.1,
        rateLimit: 0.08,
        retryAfterSeconds: 0.2,
        reset: 0.05,
        stall: 0.04,
        stallMs: 1500, // past the 1 s request timeout
        malformed: 0.05,
        stuck: 0.15,
      },
    },
  });
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await h?.stop();
});

test('50 jobs under every fault: each ends, is answered once, polls stay bounded', async () => {
  const reply = recordingReply();
  h.core.registerReply('test', reply);
  await h.startCore();
  const image = await makeJpeg();
  const audio = await makeTone(0.5, 'wav');

  const jobs: JobView[] = [];
  // Created a few at a time (media preparation runs ffmpeg); limits then queue them fairly.
  for (let i = 0; i < JOBS; i += 5) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(5, JOBS - i) }, (_, k) =>
        h.core.jobs.create({
          platform: 'test',
          requesterId: `person-${(i + k) % 25}`,
          groupId: `group-${(i + k) % 5}`,
          replyTo: `test:${i + k}`,
          image: bytesInput(image),
          speech: voiceFile(bytesInput(audio)),
        }),
      ),
    );
    jobs.push(...batch);
  }
  expect(new Set(jobs.map((j) => j.id)).size).toBe(JOBS);

  await Promise.all(jobs.map((j) => reply.waitForFinal(j.id, 35_000)));
  // Delivered flags are written right after each answer: wait (bounded) until none is left.
  for (let i = 0; i < 200 && (await h.store.unfinishedJobs()).length > 0; i++) await new Promise((r) => setTimeout(r, 25));
  expect(await h.store.unfinishedJobs()).toEqual([]);
  // A short extra wait: a duplicate answer would show up here.
  await new Promise((r) => setTimeout(r, 300));

  const states: Record<string, number> = {};
  for (const j of jobs) {
    const finals = reply.finals(j.id);
    expect(finals, `answers for ${j.id}`).toHaveLength(1);
    const stored = await h.core.jobs.get(j.id);
    expect(stored !== null && isFinal(stored.state)).toBe(true);
    expect(stored?.delivered).toBe(true);
    // The one answer agrees with the stored outcome.
    expect(finals[0]?.kind).toBe(stored?.state === 'completed' ? 'result' : 'error');
    states[stored?.state ?? 'missing'] = (states[stored?.state ?? 'missing'] ?? 0) + 1;
  }
  expect(unhandled).toEqual([]);

  // The mix really happened: successes, the service's faults as errors, and stuck tasks timed out.
  const stats = h.engine.stats();
  expect(states.completed ?? 0).toBeGreaterThan(0);
  expect(states.timed_out ?? 0).toBeGreaterThan(0);
  expect(stats.apiErrors.API_UNAVAILABLE ?? 0).toBeGreaterThan(0);
  // Faulted status requests were retried by the client: the service saw more than the engine sent.
  expect(h.mock.stats().statusCalls).toBeGreaterThan(stats.statusPolls);

  // Status requests per job, as the service counted them (retries included).
  const byTask = h.mock.stats().statusCallsByTask;
  const taskIds = await Promise.all(jobs.map(async (j) => (await h.core.jobs.get(j.id))?.taskId));
  const perJob = taskIds.map((taskId) => (taskId === null || taskId === undefined ? 0 : (byTask[taskId] ?? 0)));
  const withTask = perJob.filter((_, i) => (taskIds[i] ?? null) !== null);
  const mean = withTask.reduce((a, b) => a + b, 0) / Math.max(1, withTask.length);
  const max = Math.max(...perJob);
  // Bound: after the first quick poll, polls are spaced at least POLL_MAX minus 10 % jitter
  // (before and after the ETA alike), so a job makes at most 2 + deadline / spacing polls, each
  // at most 1 + MAX_RETRIES HTTP attempts.
  const pollsPerJob = 2 + Math.ceil(DEADLINE_S / (POLL_MAX_S * 0.9));
  const bound = pollsPerJob * (1 + MAX_RETRIES);
  console.log(
    `[faults] ${JOBS} jobs: ${JSON.stringify(states)}; status requests per job with a task (${withTask.length}): mean ${mean.toFixed(1)}, max ${max}; bound ${bound}; engine polls ${stats.statusPolls}; api errors ${JSON.stringify(stats.apiErrors)}`,
  );
  expect(withTask.length).toBeGreaterThan(0);
  expect(max).toBeLessThanOrEqual(bound);
  // On average retries are rare: no more requests than the polls a job may make.
  expect(mean).toBeLessThanOrEqual(pollsPerJob);
}, 45_000);
