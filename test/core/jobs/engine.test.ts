import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, test } from 'vitest';
import { createFakeAvatarServer, type FakeAvatarOptions, type FakeAvatarServer } from '../../fakes/avatar/index.js';
import { startHarness, type HarnessOptions } from '../../helpers/harness.js';
import { recordingReply } from '../../helpers/recording-reply.js';
import { coreWithReply, testRequest } from '../../helpers/core-with-reply.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const setup = (opts: HarnessOptions = {}) => coreWithReply(cleanups, opts);
const request1 = testRequest;

/** A data folder and an avatar server that outlive one bot process, as in production. */
async function durable(prefix: string, mockOptions: FakeAvatarOptions) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const mock = createFakeAvatarServer(mockOptions);
  await mock.start();
  cleanups.push(() => mock.close());
  return { dataDir, mock };
}

/** Starts a new core on the same data folder and avatar server, as a restart does. */
async function restart(world: { dataDir: string; mock: FakeAvatarServer }) {
  const h = await startHarness(world);
  cleanups.push(() => h.stop());
  const reply = recordingReply();
  h.core.registerReply('test', reply);
  await h.startCore();
  return { h, reply };
}

describe('job lifecycle against the local avatar server', () => {
  test('success: queued -> rendering -> result delivered once, media released, face saved', async () => {
    const { h, reply } = await setup();
    const job = await h.core.jobs.create(await request1());
    expect(job.state).toBe('queued');
    expect(job.audioSeconds).toBeGreaterThan(0.9);
    const final = await reply.waitForFinal(job.id);
    expect(final.kind).toBe('result');
    if (final.kind === 'result') expect(final.result.fileUrl).toMatch(/\/files\/preview-.*\.mp4$/);
    const progress = reply.calls.filter((c) => c.jobId === job.id && c.kind === 'progress');
    expect(progress.some((p) => p.kind === 'progress' && p.update.state === 'rendering' && p.update.etaMs !== undefined)).toBe(true);
    // The result comes after every progress call for the job (serialised per job).
    expect(reply.calls.findLastIndex((c) => c.jobId === job.id && c.kind === 'progress')).toBeLessThan(
      reply.calls.findIndex((c) => c.jobId === job.id && c.kind === 'result'),
    );
    const view = await h.core.jobs.get(job.id);
    expect(view?.state).toBe('completed');
    expect(view?.taskId).not.toBeNull();
    expect(view?.outputDuration).toBeGreaterThan(0.5);
    await expect.poll(async () => (await h.core.jobs.get(job.id))?.delivered).toBe(true);
    expect(await h.store.getMedia(job.id)).toBeNull();
    expect(await h.core.faces.get('test', 'alice')).not.toBeNull();
    expect(reply.finals(job.id)).toHaveLength(1);
  });

  test('FAILED from the service ends the job failed with its error, media kept for Retry', async () => {
    const { h, reply } = await setup();
    h.mock.nextOutcome({ status: 'FAILED', error: 'face not detected' });
    const job = await h.core.jobs.create(await request1());
    const final = await reply.waitForFinal(job.id);
    expect(final.kind === 'error' && final.error.code).toBe('JOB_FAILED');
    expect(final.kind === 'error' && final.error.message).toBe('face not detected');
    expect(await h.store.getMedia(job.id)).not.toBeNull();

    const again = await h.core.jobs.retry(job.id, 'alice');
    expect(again.id).not.toBe(job.id);
    const second = await reply.waitForFinal(again.id);
    expect(second.kind).toBe('result');
    await expect(h.core.jobs.retry(job.id, 'mallory')).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  });

  test('TIMED_OUT from the service ends the job timed_out', async () => {
    const { h, reply } = await setup();
    h.mock.nextOutcome({ status: 'TIMED_OUT' });
    const job = await h.core.jobs.create(await request1());
    const final = await reply.waitForFinal(job.id);
    expect(final.kind === 'error' && final.error.code).toBe('JOB_TIMEOUT');
    expect((await h.core.jobs.get(job.id))?.state).toBe('timed_out');
  });

  test('a task stuck IN_PROGRESS ends at AVATAR_TIMEOUT_SECONDS with a bounded number of polls', async () => {
    const { h, reply } = await setup({ env: { AVATAR_TIMEOUT_SECONDS: '2' } });
    h.mock.nextOutcome({ status: 'STUCK' });
    const job = await h.core.jobs.create(await request1());
    const final = await reply.waitForFinal(job.id, 10_000);
    expect(final.kind === 'error' && final.error.code).toBe('JOB_TIMEOUT');
    expect(final.kind === 'error' && final.error.message).toContain('2 s');
    // The deadline reaches the adapter as a fact (the words name it), stored with the job.
    expect(final.kind === 'error' && final.error.facts).toEqual({ seconds: 2 });
    expect((await h.core.jobs.get(job.id))?.errorFacts).toEqual({ seconds: 2 });
    const view = (await h.core.jobs.get(job.id))!;
    expect(view.finishedAt! - view.submittedAt!).toBeGreaterThanOrEqual(2000);
    // 2 s with polls at most every 0.3 s: never a tight loop.
    const polls = h.mock.stats().statusCallsByTask[view.taskId!] ?? 0;
    expect(polls).toBeGreaterThan(2);
    expect(polls).toBeLessThan(30);
  });

  test('429 with Retry-After on submit, then 5xx on polls: the job still completes', async () => {
    const { h, reply } = await setup();
    h.mock.failNext('submit', { kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    h.mock.failNext('status', { kind: 'status', status: 500 }, { kind: 'status', status: 503 });
    const job = await h.core.jobs.create(await request1());
    const final = await reply.waitForFinal(job.id);
    expect(final.kind).toBe('result');
    expect(h.mock.stats().submits).toBe(2);
  });

  test('a submit answer without task id fails the job with the exact original message', async () => {
    const { h, reply } = await setup();
    h.mock.failNext('submit', { kind: 'status', status: 200, body: { data: {} } });
    const job = await h.core.jobs.create(await request1());
    const final = await reply.waitForFinal(job.id);
    expect(final.kind === 'error' && final.error.code).toBe('NO_TASK_ID');
    expect(final.kind === 'error' && final.error.message).toBe('Failed to get valid task_id from server.');
  });

  test('malformed JSON on submit fails the job without a second submit', async () => {
    const { h, reply } = await setup();
    h.mock.failNext('submit', { kind: 'malformed' });
    const job = await h.core.jobs.create(await request1());
    const final = await reply.waitForFinal(job.id);
    expect(final.kind === 'error' && final.error.code).toBe('API_BAD_RESPONSE');
    expect(h.mock.stats().submits).toBe(1);
  });

  test('a bad key (401) fails the job as API_AUTH', async () => {
    const mock = createFakeAvatarServer({ apiKey: 'right-key', renderMs: () => 100 });
    await mock.start();
    cleanups.push(() => mock.close());
    const { h, reply } = await setup({ mock, env: { AVATAR_API_KEY: 'wrong-key' } });
    const job = await h.core.jobs.create(await request1());
    const final = await reply.waitForFinal(job.id);
    expect(final.kind === 'error' && final.error.code).toBe('API_AUTH');
    expect(final.kind === 'error' && final.error.message).not.toContain('wrong-key');
  });

  test('cancel: only the requester; a canceled job is answered as canceled', async () => {
    const { h, reply } = await setup({ mockOptions: { renderMs: () => 5000 } });
    const job = await h.core.jobs.create(await request1());
    await expect(h.core.jobs.cancel(job.id, 'mallory')).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
    const canceled = await h.core.jobs.cancel(job.id, 'alice');
    expect(canceled.state).toBe('canceled');
    const final = await reply.waitForFinal(job.id);
    expect(final.kind === 'error' && final.error.code).toBe('JOB_CANCELED');
  });
});

describe('cancel and delivery edge cases', () => {
  test('cancel while the submit is still in flight stays canceled (the aborted submit does not turn it into failed)', async () => {
    const { h, reply } = await setup();
    h.mock.failNext('submit', { kind: 'stall', ms: 3000 });
    const job = await h.core.jobs.create(await request1());
    await expect.poll(async () => (await h.store.getJob(job.id))?.submitStartedAt).not.toBeNull();
    await h.core.jobs.cancel(job.id, 'alice');
    const final = await reply.waitForFinal(job.id);
    expect(final.kind === 'error' && final.error.code).toBe('JOB_CANCELED');
    await new Promise((r) => setTimeout(r, 200));
    expect((await h.core.jobs.get(job.id))?.state).toBe('canceled');
    expect(reply.finals(job.id)).toHaveLength(1);
  });

  test('a failing delivery is retried with backoff until the platform accepts it', async () => {
    const h = await startHarness();
    cleanups.push(() => h.stop());
    const reply = recordingReply();
    let refusals = 2;
    h.core.registerReply('test', {
      progress: reply.progress,
      error: reply.error,
      async result(job, r) {
        if (refusals-- > 0) throw new Error('platform said 500');
        return reply.result(job, r);
      },
    });
    await h.startCore();
    const job = await h.core.jobs.create(await request1());
    // Backoff of 1 s then 5 s: the third attempt lands.
    const final = await reply.waitForFinal(job.id, 15_000);
    expect(final.kind).toBe('result');
    expect(h.engine.stats().deliveryFailures).toBe(2);
    await expect.poll(async () => (await h.core.jobs.get(job.id))?.delivered).toBe(true);
  }, 20_000);
});

describe('webhooks', () => {
  async function webhookSetup() {
    // With webhooks on, polls are only a 20 s safety net: only the webhook can finish the job quickly.
    return setup({
      webhooks: true,
      env: { AVATAR_WEBHOOK_FALLBACK_POLL_SECONDS: '20' },
      mockOptions: { renderMs: () => 200, queueMs: 10 },
    });
  }

  test('a genuine webhook completes the job without waiting for the next poll', async () => {
    const { h, reply } = await webhookSetup();
    const job = await h.core.jobs.create(await request1());
    const final = await reply.waitForFinal(job.id, 10_000);
    expect(final.kind).toBe('result');
    // The mock counts a webhook once it has read the bot's answer, which can come after the reply.
    await expect.poll(() => h.mock.stats().webhooksSent).toBe(1);
    // One status read: the one the webhook triggered (the status endpoint is the only source of file_url).
    const taskId = (await h.core.jobs.get(job.id))!.taskId!;
    expect(h.mock.stats().statusCallsByTask[taskId]).toBe(1);
    expect(h.engine.stats().webhookWakes).toBe(1);
  });

  test('a lost webhook is caught by the safety-net poll', async () => {
    // PUBLIC_URL points at a closed port: the service's webhook never reaches the bot.
    const { h, reply } = await setup({
      env: { PUBLIC_URL: 'http://127.0.0.1:9', AVATAR_WEBHOOK_FALLBACK_POLL_SECONDS: '0.5' },
      mockOptions: { renderMs: () => 100, queueMs: 10, webhookRetryDelaysMs: [] },
    });
    const job = await h.core.jobs.create(await request1());
    const final = await reply.waitForFinal(job.id, 10_000);
    expect(final.kind).toBe('result');
    expect(h.mock.tasks()[0]?.webhookUrl).toContain('http://127.0.0.1:9/avatar/webhook/');
    expect(h.mock.stats().webhooksSent).toBe(0);
    await expect.poll(() => h.mock.stats().webhookFailures).toBeGreaterThan(0);
  });

  test('a wrong or missing token gets 401 and changes nothing; repeats of a genuine call change nothing', async () => {
    const { h, reply } = await webhookSetup();
    h.mock.nextOutcome({ status: 'STUCK' });
    const job = await h.core.jobs.create(await request1());
    await expect.poll(async () => (await h.core.jobs.get(job.id))?.state).toBe('submitted');
    const url = `${h.http.url()}/avatar/webhook/${job.id}`;
    const body = JSON.stringify({ id: 'x', status: 'COMPLETED', output: { file_url: 'http://evil.example/video.mp4' } });
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: 'Basic abc' }]) {
      const res = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
      expect(res.statusCode).toBe(401);
      await res.body.dump();
    }
    const unknown = await request(`${h.http.url()}/avatar/webhook/00000000-0000-0000-0000-000000000000`, {
      method: 'POST',
      body,
      headers: { authorization: 'Bearer nope' },
    });
    expect(unknown.statusCode).toBe(401);
    await unknown.body.dump();
    const huge = await request(url, { method: 'POST', body: Buffer.alloc(200_000, 'a') });
    expect(huge.statusCode).toBe(413);
    await huge.body.dump();
    const view = (await h.core.jobs.get(job.id))!;
    expect(view.state).toBe('submitted');
    expect(view.fileUrl).toBeNull();
    expect(h.engine.stats().webhookWakes).toBe(0);

    // Now the task finishes: the service calls with the real token (stored with the job).
    h.mock.completeNow(view.taskId!);
    const final = await reply.waitForFinal(job.id, 10_000);
    expect(final.kind === 'result' && final.result.fileUrl).not.toContain('evil');
    const token = (await h.store.getJob(job.id))!.webhookToken!;
    for (let i = 0; i < 3; i++) {
      const res = await request(url, { method: 'POST', body, headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(reply.finals(job.id)).toHaveLength(1);
  });
});

describe('restart with jobs pending', () => {
  test('close and reopen the store: every pending job is answered exactly once', async () => {
    const { dataDir, mock } = await durable('tab-restart-', { renderMs: () => 1500, queueMs: 10 });

    const first = await startHarness({ dataDir, mock });
    const reply1 = recordingReply();
    first.core.registerReply('test', reply1);
    await first.startCore();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await first.core.jobs.create(await request1({ requesterId: `u${i}` }))).id);
    await expect
      .poll(async () => (await Promise.all(ids.map((id) => first.core.jobs.get(id)))).every((j) => j?.state === 'submitted'), {
        timeout: 10_000,
      })
      .toBe(true);
    await first.stop();
    expect(ids.flatMap((id) => reply1.finals(id))).toHaveLength(0);

    const { reply: reply2 } = await restart({ dataDir, mock });
    for (const id of ids) expect((await reply2.waitForFinal(id)).kind).toBe('result');
    await new Promise((r) => setTimeout(r, 300));
    for (const id of ids) expect(reply2.finals(id)).toHaveLength(1);
    expect(mock.stats().submits).toBe(3);
  });

  test('a job whose submit was cut off is failed as SUBMIT_INTERRUPTED, never resent on a guess', async () => {
    const { dataDir, mock } = await durable('tab-interrupt-', { renderMs: () => 100 });
    const first = await startHarness({ dataDir, mock });
    first.core.registerReply('test', recordingReply());
    const job = await first.core.jobs.create(await request1()); // core not started: stays queued
    await first.store.updateJob(job.id, { submitStartedAt: Date.now() }); // as if killed mid-submit
    await first.stop();

    const { reply } = await restart({ dataDir, mock });
    const final = await reply.waitForFinal(job.id);
    expect(final.kind === 'error' && final.error.code).toBe('SUBMIT_INTERRUPTED');
    expect(mock.stats().submits).toBe(0);
  });

  test('an answer whose earlier attempt never recorded its end is looked up first, not sent twice', async () => {
    const { dataDir, mock } = await durable('tab-answered-', { renderMs: () => 100 });
    const first = await startHarness({ dataDir, mock });
    first.core.registerReply('test', recordingReply());
    const shown = await first.core.jobs.create(await request1());
    const lost = await first.core.jobs.create(await request1({ requesterId: 'bob' }));
    // Both final and undelivered, both with a delivery begun (as if killed right after sending).
    for (const j of [shown, lost]) {
      await first.store.updateJob(j.id, {
        state: 'failed',
        errorCode: 'JOB_FAILED',
        errorMessage: 'x',
        finishedAt: Date.now(),
        deliveryStartedAt: Date.now(),
      });
    }
    await first.stop();

    const h = await startHarness({ dataDir, mock });
    cleanups.push(() => h.stop());
    const reply = recordingReply();
    const asked: string[] = [];
    // The platform shows the first job's answer already, not the second's.
    h.core.registerReply('test', {
      ...reply,
      answered: async (job) => {
        asked.push(job.id);
        return job.id === shown.id;
      },
    });
    await h.startCore();
    expect((await reply.waitForFinal(lost.id)).kind).toBe('error');
    await expect.poll(async () => (await h.core.jobs.get(shown.id))?.delivered).toBe(true);
    expect(reply.finals(shown.id)).toHaveLength(0);
    expect(asked.sort()).toEqual([shown.id, lost.id].sort());
    // A first attempt (no delivery begun) is sent without asking.
    const fresh = await h.core.jobs.create(await request1({ requesterId: 'carol' }));
    expect((await reply.waitForFinal(fresh.id)).kind).toBe('result');
    expect(asked).not.toContain(fresh.id);
  });
});

describe('limits and queue', () => {
  test('a person over their limit waits with a queue position, then runs', async () => {
    const { h, reply } = await setup({ env: { LIMIT_PER_PERSON: '1' }, mockOptions: { renderMs: () => 600, queueMs: 10 } });
    const a = await h.core.jobs.create(await request1());
    const b = await h.core.jobs.create(await request1());
    const c = await h.core.jobs.create(await request1({ requesterId: 'bob' }));
    const queuedProgress = reply.calls.find((x) => x.jobId === b.id && x.kind === 'progress' && x.update.queuePosition === 1);
    expect(queuedProgress).toBeDefined();
    for (const j of [a, b, c]) expect((await reply.waitForFinal(j.id)).kind).toBe('result');
    // bob is not held up by alice: never told a place in line.
    expect(reply.calls.filter((x) => x.jobId === c.id && x.kind === 'progress' && x.update.queuePosition !== undefined)).toEqual([]);
    const ra = (await h.core.jobs.get(a.id))!;
    const rb = (await h.core.jobs.get(b.id))!;
    expect(rb.submittedAt!).toBeGreaterThanOrEqual(ra.finishedAt!);
  });

  test('the queue refuses past QUEUE_MAX with a clear message; daily quota refuses the next job', async () => {
    const { h } = await setup({
      env: { LIMIT_IN_FLIGHT: '1', QUEUE_MAX: '1', QUOTA_PER_PERSON_DAILY: '3' },
      mockOptions: { renderMs: () => 3000 },
    });
    await h.core.jobs.create(await request1({ requesterId: 'p1' }));
    await h.core.jobs.create(await request1({ requesterId: 'p2' }));
    await expect(h.core.jobs.create(await request1({ requesterId: 'p3' }))).rejects.toMatchObject({ code: 'QUEUE_FULL' });

    const q = await setup({ env: { QUOTA_PER_PERSON_DAILY: '1' } });
    await q.h.core.jobs.create(await request1());
    await expect(q.h.core.jobs.create(await request1())).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    await q.h.core.jobs.create(await request1({ requesterId: 'bob' }));
  });
});

describe('stopping', () => {
  test('stop() does not wait for a platform that hangs: it returns within its bound and the answer is given on the next start', async () => {
    const { dataDir, mock } = await durable('tab-stop-', { renderMs: () => 100, queueMs: 10, render: false });
    const first = await startHarness({ dataDir, mock });
    let resultCalls = 0;
    first.core.registerReply('test', {
      progress: async () => undefined,
      error: async () => undefined,
      // A platform whose REST queue never drains.
      result: () => {
        resultCalls++;
        return new Promise<void>(() => undefined);
      },
    });
    await first.startCore();
    const job = await first.core.jobs.create(await request1());
    await expect.poll(() => resultCalls, { timeout: 10_000 }).toBe(1);
    // Without the bound this never returns, and the test's own timeout fails it.
    await first.stop();

    const { reply } = await restart({ dataDir, mock });
    expect((await reply.waitForFinal(job.id)).kind).toBe('result');
  }, 30_000);

  test('a platform call that finishes after stop() touches nothing and raises no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    cleanups.push(() => {
      process.off('unhandledRejection', onUnhandled);
    });
    const h = await startHarness({ mockOptions: { renderMs: () => 100, queueMs: 10, render: false } });
    let progressCalls = 0;
    h.core.registerReply('test', {
      // The first progress edit hangs past stop()'s bound; the calls queued behind it must not run.
      progress: async () => {
        progressCalls++;
        if (progressCalls === 1) await new Promise((r) => setTimeout(r, 5500));
      },
      result: async () => new Promise<void>((r) => setTimeout(r, 5500)),
      error: async () => undefined,
    });
    await h.startCore();
    const job = await h.core.jobs.create(await request1());
    // The job completes while the first progress edit hangs: later edits and the answer queue behind it.
    await expect.poll(async () => (await h.core.jobs.get(job.id))?.state, { timeout: 10_000 }).toBe('completed');
    expect(progressCalls).toBe(1);
    await h.stop(); // returns at its bound while the platform call is still hanging, and closes the store
    await new Promise((r) => setTimeout(r, 2500)); // the hung call ends now
    expect(unhandled).toEqual([]);
    expect(progressCalls).toBe(1);
  }, 30_000);
});
