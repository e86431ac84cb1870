/**
 * Intake against a real (in-memory SQLite) store, with media preparation and the avatar
 * service faked. The engine is never started, so nothing is dispatched: a job stays queued.
 */
import pino from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import type { CoreConfig } from '../../../src/core/config.js';
import type { MediaPreparation } from '../../../src/core/jobs/context.js';
import { createJobEngine, type JobEngine } from '../../../src/core/jobs/engine.js';
import type { JobStore } from '../../../src/core/store/port.js';
import { bytesInput } from '../../../src/core/media-input.js';
import { voiceFile, type AvatarRequest, type PreparedMedia } from '../../../src/core/ports.js';
import { defaultPollPlan } from '../../../src/core/schedule/policy.js';
import { openJobStore } from '../../../src/core/store/sqlite/store.js';

const open: Array<{ engine: JobEngine; store: JobStore }> = [];
afterEach(async () => {
  for (const { engine, store } of open.splice(0)) {
    await engine.stop();
    await store.close();
  }
});

const unused = (): never => {
  throw new Error('not expected in this test');
};

function setup(limits: Partial<CoreConfig['limits']> = {}) {
  const store = openJobStore(':memory:');
  let prepares = 0;
  let made = 0;
  const media: MediaPreparation = {
    async prepare(): Promise<PreparedMedia> {
      prepares += 1;
      made += 1;
      // Distinct bytes per preparation, so the test can tell which files a job holds.
      return {
        image: Uint8Array.from([made, 1, 2]),
        imageType: 'image/jpeg',
        audio: Uint8Array.from([made, 3, 4, 5]),
        audioType: 'audio/mpeg',
        audioSeconds: 2.5,
      };
    },
    prepareImage: unused,
    sniff: unused,
    finishVideo: unused,
  };
  const engine = createJobEngine(
    {
      timeoutMs: 60_000,
      poll: defaultPollPlan,
      renderRatio: 1,
      retentionMs: 3600_000,
      jobRetentionMs: 30 * 86_400_000,
      limits: { perPerson: 2, perGroup: 10, inFlight: 10, queueMax: 100, quotaPerPersonDaily: 0, quotaPerGroupDaily: 0, ...limits },
      media: { imageBytes: 1_000_000, audioBytes: 1_000_000, audioSeconds: 60, textChars: 1000 },
      publicUrl: undefined,
      webhookFallbackMs: 20_000,
      preview: false,
      sweepMs: 60_000,
    },
    {
      store,
      api: { submit: unused, status: unused, speak: unused, voices: unused, transcribe: unused },
      media,
      logger: pino({ level: 'silent' }),
    },
  );
  open.push({ engine, store });
  return { engine, store, prepares: () => prepares };
}

function request(requesterId = 'alice'): AvatarRequest {
  return {
    platform: 'test',
    requesterId,
    groupId: 'team-1',
    replyTo: `test:${requesterId}`,
    image: bytesInput(Uint8Array.from([0xff, 0xd8, 0xff])),
    speech: voiceFile(bytesInput(Uint8Array.from([1, 2, 3, 4]))),
  };
}

describe('retry', () => {
  test('queues the failed job’s kept media as it was, without loading or preparing files again', async () => {
    const { engine, store, prepares } = setup();
    const first = await engine.create(request());
    expect(prepares()).toBe(1);
    const kept = await store.getMedia(first.id);
    expect(kept).not.toBeNull();
    await store.updateJob(first.id, { state: 'failed', errorCode: 'JOB_FAILED', errorMessage: 'no face', finishedAt: Date.now() });

    const again = await engine.retry(first.id, 'alice', 'button-token');
    expect(prepares()).toBe(1);
    expect(again.id).not.toBe(first.id);
    expect(again.state).toBe('queued');
    expect(again.audioSeconds).toBe(2.5);
    expect(again.replyState).toBe('button-token');
    expect((await store.getJob(again.id))?.retryOf).toBe(first.id);
    const media = await store.getMedia(again.id);
    expect(media?.image).toEqual(kept?.image);
    expect(media?.audio).toEqual(kept?.audio);
  });

  test('is refused for another person, for a job that did not fail, and once the files are gone', async () => {
    const { engine, store } = setup();
    const job = await engine.create(request());
    const notFailed = { code: 'NOT_ALLOWED', reason: 'NOT_FAILED', facts: { state: 'queued' } };
    await expect(engine.retry(job.id, 'alice')).rejects.toMatchObject(notFailed);
    await store.updateJob(job.id, { state: 'failed', errorCode: 'JOB_FAILED', errorMessage: 'x', finishedAt: Date.now() });
    const notTheirs = { code: 'NOT_ALLOWED', reason: 'NOT_REQUESTER', facts: { action: 'retry' } };
    await expect(engine.retry(job.id, 'mallory')).rejects.toMatchObject(notTheirs);
    await store.releaseMedia(job.id);
    await expect(engine.retry(job.id, 'alice')).rejects.toMatchObject({ code: 'MEDIA_GONE' });
  });
});

describe('refusals carry the facts their sentence needs', () => {
  test('a daily quota: the limit and when it resets', async () => {
    const { engine, prepares } = setup({ quotaPerPersonDaily: 1 });
    await engine.create(request());
    const refused = engine.create(request());
    await expect(refused).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED', reason: 'PERSON', facts: { limit: 1 } });
    const err: unknown = await refused.catch((e: unknown) => e);
    const resetsAt = (err as { facts: Record<string, number> }).facts.resetsAt!;
    expect(resetsAt % 86_400_000).toBe(0); // a UTC midnight
    expect(resetsAt).toBeGreaterThan(Date.now());
    expect(prepares()).toBe(1); // refused before any file was prepared
  });

  test('a full queue: its length', async () => {
    const { engine } = setup({ queueMax: 1 });
    await engine.create(request('p1'));
    await expect(engine.create(request('p2'))).rejects.toMatchObject({ code: 'QUEUE_FULL', facts: { queueMax: 1 } });
  });
});
