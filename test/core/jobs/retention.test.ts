/**
 * The engine's side of the data lifecycle: "forget me" cancels running jobs (answered as
 * canceled) before deleting everything of the person; the purge expires finished jobs past
 * JOB_RETENTION_DAYS, never today's (the daily quotas count them).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { expiryBound } from '../../../src/core/jobs/retention.js';
import { bytesInput } from '../../../src/core/media-input.js';
import { voiceFile, type AvatarRequest } from '../../../src/core/ports.js';
import { startHarness, type HarnessOptions } from '../../helpers/harness.js';
import { makeJpeg, makeTone } from '../../helpers/media.js';
import { recordingReply } from '../../helpers/recording-reply.js';
import { makeJob, makeMedia, OPEN_RULES } from '../store/store-contract.js';

const DAY_MS = 86_400_000;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: HarnessOptions = {}) {
  const h = await startHarness(opts);
  cleanups.push(() => h.stop());
  const reply = recordingReply();
  h.core.registerReply('test', reply);
  return { h, reply };
}

async function ask(requesterId: string): Promise<AvatarRequest> {
  return {
    platform: 'test',
    requesterId,
    groupId: 'team-1',
    replyTo: 'test:chan:1',
    image: bytesInput(await makeJpeg()),
    speech: voiceFile(bytesInput(await makeTone(1, 'ogg'))),
  };
}

describe('forgetPerson', () => {
  test('cancels a running job (its answer says so), then deletes face, jobs and files; others stay', async () => {
    const { h, reply } = await setup();
    await h.startCore();
    const done = await h.core.jobs.create(await ask('alice'));
    await reply.waitForFinal(done.id);
    await expect.poll(async () => (await h.core.jobs.get(done.id))?.delivered).toBe(true);
    h.mock.nextOutcome({ status: 'STUCK' });
    const running = await h.core.jobs.create(await ask('alice'));
    const bobs = await h.core.jobs.create(await ask('bob'));
    expect(await h.core.faces.get('test', 'alice')).not.toBeNull();

    const forgotten = await h.core.jobs.forgetPerson('test', 'alice');
    // The completed job's files were released when it finished; the running one still had its files.
    expect(forgotten).toEqual({ canceled: 1, face: true, voice: false, consent: false, jobs: 2, media: 1 });
    const answer = reply.finals(running.id);
    expect(answer).toHaveLength(1);
    expect(answer[0]?.kind === 'error' && answer[0].error.code).toBe('JOB_CANCELED');
    for (const id of [done.id, running.id]) {
      expect(await h.core.jobs.get(id)).toBeNull();
      expect(await h.store.getMedia(id)).toBeNull();
    }
    expect(await h.core.faces.get('test', 'alice')).toBeNull();
    expect(await h.core.jobs.listForRequester('test', 'alice', 10)).toEqual([]);
    expect(await h.core.jobs.get(bobs.id)).not.toBeNull();
    expect(await h.core.faces.get('test', 'bob')).not.toBeNull();
    // Nothing is left to resume for alice.
    expect((await h.store.unfinishedJobs()).filter((j) => j.requesterId === 'alice')).toEqual([]);
  });
});

describe('JOB_RETENTION_DAYS', () => {
  test('start-up (then hourly) deletes finished, delivered jobs past retention; unfinished and recent ones stay', async () => {
    const { h } = await setup({ env: { JOB_RETENTION_DAYS: '7' } });
    const now = Date.now();
    const old = makeJob({ createdAt: now - 8 * DAY_MS, state: 'completed', delivered: true });
    const oldUndelivered = makeJob({ createdAt: now - 8 * DAY_MS, state: 'failed' });
    const recent = makeJob({ createdAt: now - 6 * DAY_MS, state: 'completed', delivered: true });
    for (const j of [old, oldUndelivered, recent]) expect(await h.store.insertJob(j, makeMedia(), OPEN_RULES)).toBe('ok');
    await h.startCore();
    expect(await h.store.getJob(old.id)).toBeNull();
    expect(await h.store.getMedia(old.id)).toBeNull();
    expect(await h.store.getJob(recent.id)).not.toBeNull();
    // The failed job is answered on start; only then may a later purge take it.
    expect(await h.store.getJob(oldUndelivered.id)).not.toBeNull();
  });

  test('the bound is retention ago, but never after the start of the current UTC day (today’s quota counts stay)', () => {
    const t = Date.UTC(2026, 10, 30, 16, 30);
    const midnight = Date.UTC(2026, 10, 30);
    expect(expiryBound(t, 30 * DAY_MS)).toBe(t - 30 * DAY_MS);
    expect(expiryBound(t, DAY_MS)).toBe(t - DAY_MS);
    // A retention shorter than the time since midnight (only reachable through CoreConfig in
    // ms): jobs of today are kept until tomorrow's purge, so the daily quota still counts them.
    expect(expiryBound(t, 60_000)).toBe(midnight);
    expect(expiryBound(t, 0)).toBe(midnight);
  });
});
