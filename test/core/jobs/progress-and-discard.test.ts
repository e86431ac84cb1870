/**
 * Truthful progress (the service's queue is not rendering) and Delete on a result, through the
 * real core over loopback HTTP to the fake avatar service.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { typedText, type ProgressUpdate } from '../../../src/core/ports.js';
import { coreWithReply, testRequest as request } from '../../helpers/core-with-reply.js';
import type { HarnessOptions } from '../../helpers/harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const setup = (opts: HarnessOptions = {}) => coreWithReply(cleanups, opts);

describe('progress tells the service’s queue from rendering', () => {
  test('IN_QUEUE: waiting with no ETA; then IN_PROGRESS: rendering, its clock and ETA anchored there', async () => {
    const { h, reply } = await setup({ mockOptions: { queueMs: 1000, renderMs: () => 3000 } });
    const job = await h.core.jobs.create(await request());
    expect((await reply.waitForFinal(job.id)).kind).toBe('result');
    const updates = reply.calls.flatMap((c) => (c.jobId === job.id && c.kind === 'progress' ? [c.update] : []));
    const waiting = updates.filter((u) => u.state === 'waiting');
    const rendering = updates.filter((u): u is ProgressUpdate & { state: 'rendering' } => u.state === 'rendering');
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((u) => u.etaMs === undefined && u.renderingMs === undefined)).toBe(true);
    expect(rendering.length).toBeGreaterThan(0);
    // Rendering is timed from its own start: less than the time since the job was made.
    expect(rendering.every((u) => u.renderingMs !== undefined && u.renderingMs < u.elapsedMs)).toBe(true);
    expect(updates.findLastIndex((u) => u.state === 'waiting')).toBeLessThan(updates.findIndex((u) => u.state === 'rendering'));
    const done = await h.core.jobs.get(job.id);
    expect(done?.renderStartedAt).toBeGreaterThan(done?.submittedAt ?? Number.POSITIVE_INFINITY);
  });
});

describe('Delete on a result', () => {
  test('only the requester; clears the link, the text and the files; leaves the row for the quota', async () => {
    const { h, reply } = await setup({ env: { QUOTA_PER_PERSON_DAILY: '5' } });
    const job = await h.core.jobs.create(await request({ speech: typedText('Delete me later.', 'preview-en-us') }));
    expect((await reply.waitForFinal(job.id)).kind).toBe('result');
    expect((await h.core.jobs.get(job.id))?.spokenText).toBe('Delete me later.');
    await expect(h.core.jobs.discard(job.id, 'mallory')).rejects.toMatchObject({ code: 'NOT_ALLOWED', facts: { action: 'delete' } });

    const gone = await h.core.jobs.discard(job.id, 'alice');
    expect(gone).toMatchObject({ state: 'completed', fileUrl: null, spokenText: null });
    expect(gone.discardedAt).not.toBeNull();
    expect(await h.store.getMedia(job.id)).toBeNull();
    expect(await h.core.jobs.listForRequester('test', 'alice', 10)).toEqual([]);
    expect((await h.core.quota('test', 'alice', 'team-1')).personRemaining).toBe(4);
    // Twice is harmless.
    expect((await h.core.jobs.discard(job.id, 'alice')).discardedAt).toBe(gone.discardedAt);
  });

  test('a running job is canceled first (its answer says so), then deleted', async () => {
    const { h, reply } = await setup({ mockOptions: { renderMs: () => 30_000 } });
    const job = await h.core.jobs.create(await request());
    await expect.poll(async () => (await h.core.jobs.get(job.id))?.state, { timeout: 10_000 }).toBe('submitted');
    const gone = await h.core.jobs.discard(job.id, 'alice');
    expect(gone.state).toBe('canceled');
    expect(gone.discardedAt).not.toBeNull();
    const final = await reply.waitForFinal(job.id);
    expect(final.kind === 'error' && final.error.code).toBe('JOB_CANCELED');
  });
});

test('a result deleted before its answer went out is never answered (no "ended without a video")', async () => {
  const { h, reply } = await setup();
  h.core.registerReply('test', {
    ...reply,
    // The platform is down: the answer fails and waits for a later attempt.
    result: () => Promise.reject(new Error('platform down')),
  });
  const job = await h.core.jobs.create(await request());
  await expect.poll(async () => (await h.store.getJob(job.id))?.state, { timeout: 10_000 }).toBe('completed');
  await h.core.jobs.discard(job.id, 'alice');
  h.core.registerReply('test', reply);
  await expect.poll(async () => (await h.store.getJob(job.id))?.delivered, { timeout: 10_000 }).toBe(true);
  expect(reply.finals(job.id)).toEqual([]);
});
