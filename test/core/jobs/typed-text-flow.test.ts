/**
 * Typed text through the real core, over loopback HTTP to the fake avatar service (the preview
 * server, which really speaks with eSpeak NG): the speech is made once, kept with the job, and
 * survives a restart and a Retry without a second text-to-speech request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { typedText, type AvatarRequest } from '../../../src/core/ports.js';
import { createFakeAvatarServer } from '../../fakes/avatar/index.js';
import { coreWithReply, testRequest } from '../../helpers/core-with-reply.js';
import type { HarnessOptions } from '../../helpers/harness.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const request = (text: string, voiceId?: string): Promise<AvatarRequest> => testRequest({ speech: typedText(text, voiceId) });

/** Not started: each test starts it when it wants the jobs to run. */
const core = (opts: HarnessOptions) => coreWithReply(cleanups, opts, false);

test('typed text becomes a video; the service was asked to speak exactly that text in that voice', async () => {
  const { h, reply } = await core({});
  await h.startCore();
  const job = await h.core.jobs.create(await request('Good morning, team.', 'preview-de'));
  expect(job.audioSeconds).toBeGreaterThan(0.5);
  expect((await reply.waitForFinal(job.id)).kind).toBe('result');
  expect(h.mock.speechRequests()).toMatchObject([{ text: 'Good morning, team.', voice_profile_id: 'preview-de' }]);
  expect(h.mock.stats().submits).toBe(1);
});

test('a restart between speech and submit, then a Retry: the text is spoken once', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tab-typed-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const mock = createFakeAvatarServer({ renderMs: () => 100 });
  await mock.start();
  cleanups.push(() => mock.close());

  // The first process speaks and stores the job, and stops before submitting it.
  const first = await core({ dataDir, mock });
  const job = await first.h.core.jobs.create(await request('Say it once.'));
  await first.h.stop();
  expect(mock.speechRequests()).toHaveLength(1);
  expect(mock.stats().submits).toBe(0);

  // The next one submits the kept speech; the service fails the render; Retry resends the same files.
  mock.nextOutcome({ status: 'FAILED', error: 'No face detected in image' });
  const second = await core({ dataDir, mock });
  await second.h.startCore();
  const failed = await second.reply.waitForFinal(job.id);
  expect(failed.kind === 'error' && failed.error.code).toBe('JOB_FAILED');
  const again = await second.h.core.jobs.retry(job.id, 'alice');
  expect((await second.reply.waitForFinal(again.id)).kind).toBe('result');
  expect(mock.stats().submits).toBe(2);
  expect(mock.speechRequests()).toHaveLength(1);
});

test('a text-to-speech failure is refused at once with the service’s code, and nothing is submitted', async () => {
  const { h } = await core({});
  await h.startCore();
  h.mock.failNext('tts', { kind: 'status', status: 402 });
  await expect(h.core.jobs.create(await request('Hello'))).rejects.toMatchObject({ code: 'API_CREDITS' });
  expect(h.mock.stats().submits).toBe(0);
  expect(await h.core.jobs.listForRequester('test', 'alice', 10)).toEqual([]);
});
