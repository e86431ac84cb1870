/**
 * The hand-over through the real core: SQLite, the fake service over loopback HTTP (its
 * speech-to-text, or none), the real media workers and ffmpeg. A completed job's answer
 * carries the video tagged as AI-generated (ffprobe reads the tags), caption files that real
 * parsers accept with times inside the video, and a note for each part that is missing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { typedText, type ChatReply, type JobView, type ResultUpdate } from '../../../src/core/ports.js';
import { createFakeAvatarServer } from '../../fakes/avatar/index.js';
import { readSrt, readVtt, timesProblems } from '../../helpers/caption-files.js';
import { coreWithReply, testRequest } from '../../helpers/core-with-reply.js';
import type { HarnessOptions } from '../../helpers/harness.js';
import { probe } from '../../helpers/ffprobe.js';
import { makeVideo } from '../../helpers/media.js';
import { completeWith, startVideoHost } from '../../helpers/video-host.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function resultOf(opts: HarnessOptions, speech?: Parameters<typeof testRequest>[0]) {
  const { h, reply } = await coreWithReply(cleanups, opts);
  const job = await h.core.jobs.create(await testRequest(speech));
  const final = await reply.waitForFinal(job.id, 30_000);
  if (final.kind !== 'result') throw new Error(`expected a result, got ${JSON.stringify(final)}`);
  return { h, job, result: final.result };
}

/** Slow renders: a scripted status answer is the first poll's, before the task could complete on its own. */
const slowRender = { renderMs: () => 30_000, queueMs: 10 };

test('a voice note: speech-to-text captions that parse and lie within the video, and a video whose AI tags ffprobe reads', async () => {
  const { h, result } = await resultOf({
    mockOptions: {
      stt: {
        segments: (s) => [
          { start: 0, end: s / 2, text: 'Hello there.' },
          { start: s / 2, end: s + 5, text: 'This segment runs past the end of the video.' },
        ],
      },
    },
  });
  expect(h.mock.sttRequests()).toHaveLength(1);
  const video = result.video;
  if (video === undefined) throw new Error('no video handed over');
  expect(video).toMatchObject({ mime: 'video/mp4', captionsBurned: false });
  expect(video.name).toMatch(/^talking-avatar-[0-9a-f]{8}\.mp4$/);
  const probed = await probe(video.bytes);
  const tags = probed.format.tags ?? {};
  expect(tags['ai_generated']).toBe('true');
  expect(tags['software']).toMatch(/^talking-avatar-bot \d+\.\d+\.\d+/);
  expect(tags['comment']).toMatch(/^AI-generated talking avatar \(made by talking-avatar-bot with 127\.0\.0\.1:\d+\)$/);
  expect(tags['source_service']).toMatch(/^127\.0\.0\.1:\d+$/);
  expect(Number.isNaN(Date.parse(tags['creation_time'] ?? ''))).toBe(false);
  expect(tags['description']).toContain('AI-generated');

  const seconds = Number(probed.format.duration);
  const captions = result.captions;
  if (captions === undefined) throw new Error('no captions');
  expect(captions.source).toBe('speech-to-text');
  expect(captions.transcript).toBe('Hello there. This segment runs past the end of the video.');
  for (const cues of [readVtt(captions.vtt), readSrt(captions.srt)]) {
    expect(cues.map((c) => c.text)).toEqual(['Hello there.', 'This segment runs past the end of the\nvideo.']);
    expect(timesProblems(cues, seconds)).toEqual([]);
  }
  expect(result.notes).toEqual([]);
});

test('typed text on a service without speech-to-text: captions split by sentence across the speech, no note', async () => {
  const { h, job, result } = await resultOf(
    { mockOptions: { stt: false } },
    {
      speech: typedText('Good morning, team. The release is ready for review.', 'preview-en-us'),
    },
  );
  expect(h.mock.sttRequests()).toHaveLength(1);
  const captions = result.captions;
  if (captions === undefined || result.video === undefined) throw new Error('no captions or no video');
  expect(captions.source).toBe('typed-text');
  expect(captions.transcript).toBe('Good morning, team. The release is ready for review.');
  const cues = readVtt(captions.vtt);
  expect(cues.map((c) => c.text)).toEqual(['Good morning, team.', 'The release is ready for review.']);
  expect(timesProblems(cues, Number((await probe(result.video.bytes)).format.duration))).toEqual([]);
  expect(cues.at(-1)?.end).toBeCloseTo(job.audioSeconds, 2);
  expect(result.notes).toEqual([]);
  // Stored with the job, for the playground and later looks.
  expect((await h.core.jobs.get(job.id))?.captions?.cues).toHaveLength(2);
});

test('a voice note on a service without speech-to-text: the video without captions, and the note saying why', async () => {
  const { result } = await resultOf({ mockOptions: { stt: false } });
  expect(result.captions).toBeUndefined();
  expect(result.video).toBeDefined();
  expect(result.notes).toEqual(['CAPTIONS_NEED_SPEECH_TO_TEXT']);
});

test('speech-to-text fails: the video still goes out, with CAPTIONS_FAILED', async () => {
  const { h, reply } = await coreWithReply(cleanups, {});
  h.mock.failNext('stt', { kind: 'status', status: 500 });
  const job = await h.core.jobs.create(await testRequest());
  const final = await reply.waitForFinal(job.id, 30_000);
  expect(final.kind === 'result' && final.result.notes).toEqual(['CAPTIONS_FAILED']);
  expect(final.kind === 'result' && final.result.video !== undefined).toBe(true);
  expect(h.mock.sttRequests()).toHaveLength(1);
});

test('CAPTIONS=off: no speech-to-text request at all, no captions, no note, and the video still tagged', async () => {
  const { h, result } = await resultOf({ env: { CAPTIONS: 'off' } });
  expect(h.mock.sttRequests()).toEqual([]);
  expect(result.captions).toBeUndefined();
  expect(result.notes).toEqual([]);
  expect((await probe(result.video?.bytes ?? new Uint8Array())).format.tags?.['ai_generated']).toBe('true');
});

test('the video cannot be fetched (an error, a redirect): the link goes out alone with VIDEO_UNAVAILABLE; too big: VIDEO_TOO_BIG', async () => {
  const broken = await startVideoHost(503);
  const moved = await startVideoHost(302);
  const huge = await startVideoHost(new Uint8Array(2 * 1024 * 1024));
  cleanups.push(
    () => broken.close(),
    () => moved.close(),
    () => huge.close(),
  );
  const { h, reply } = await coreWithReply(cleanups, { mockOptions: slowRender, env: { VIDEO_MAX_MB: '1' } });
  for (const [host, note] of [
    [broken, 'VIDEO_UNAVAILABLE'],
    // A signed link is not followed elsewhere: the redirect is refused, as for speech files.
    [moved, 'VIDEO_UNAVAILABLE'],
    [huge, 'VIDEO_TOO_BIG'],
  ] as const) {
    completeWith(h.mock, host.url, 1);
    const job = await h.core.jobs.create(await testRequest());
    const final = await reply.waitForFinal(job.id, 30_000);
    if (final.kind !== 'result') throw new Error('expected a result');
    expect(final.result.fileUrl).toBe(host.url);
    expect(final.result.video).toBeUndefined();
    expect(final.result.notes).toEqual([note]);
    expect(final.result.captions).toBeDefined();
    expect(host.fetches()).toBe(1);
  }
});

test('a delivery retry hands over the same video without fetching or tagging it again', async () => {
  const host = await startVideoHost(await makeVideo(2));
  cleanups.push(() => host.close());
  const { h } = await coreWithReply(cleanups, { mockOptions: slowRender }, false);
  const results: ResultUpdate[] = [];
  let refused = false;
  const flaky: ChatReply = {
    progress: async () => undefined,
    error: async () => undefined,
    async result(_job: JobView, update: ResultUpdate) {
      results.push(update);
      if (!refused) {
        refused = true;
        throw new Error('the platform is down for a moment');
      }
    },
  };
  h.core.registerReply('flaky', flaky);
  await h.startCore();
  completeWith(h.mock, host.url, 2);
  const job = await h.core.jobs.create(await testRequest({ platform: 'flaky' }));
  await new Promise<void>((resolve) => {
    const off = h.engine.onUpdate((j) => {
      if (j.id === job.id && j.delivered) {
        off();
        resolve();
      }
    });
  });
  expect(results).toHaveLength(2);
  expect(host.fetches()).toBe(1);
  expect(results[1]?.video?.bytes).toBe(results[0]?.video?.bytes);
  expect(results[1]?.captions).toEqual(results[0]?.captions);
});

test('deleting a result clears its captions with the rest', async () => {
  const { h, job, result } = await resultOf({});
  expect(result.captions).toBeDefined();
  expect((await h.core.jobs.get(job.id))?.captions).not.toBeNull();
  const gone = await h.core.jobs.discard(job.id, 'alice');
  expect(gone.captions).toBeNull();
  expect((await h.core.jobs.get(job.id))?.captions).toBeNull();
});

test('CAPTIONS=burn asks the media workers to burn the cues: the video says it is burned, or the note says the burn failed', async () => {
  const { result } = await resultOf({ env: { CAPTIONS: 'burn' } });
  const video = result.video;
  if (video === undefined || result.captions === undefined) throw new Error('no video or no captions');
  // Exactly one: a burn that happened, or the note saying it did not (the tagged original went out).
  expect(video.captionsBurned).toBe(!(result.notes ?? []).includes('BURN_FAILED'));
  expect((await probe(video.bytes)).format.tags?.['ai_generated']).toBe('true');
});

test('a restart while the service renders: the next process makes the captions from the kept media', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tab-captions-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const mock = createFakeAvatarServer({ renderMs: () => 1500, queueMs: 10, stt: false });
  await mock.start();
  cleanups.push(() => mock.close());

  const first = await coreWithReply(cleanups, { dataDir, mock });
  const job = await first.h.core.jobs.create(await testRequest());
  await new Promise<void>((resolve) => {
    const off = first.h.engine.onUpdate((j) => {
      if (j.id === job.id && j.state === 'submitted') {
        off();
        resolve();
      }
    });
  });
  await first.h.stop();

  // Now the service hears: the next process asks it, from the media kept with the job.
  mock.setStt({ segments: [{ start: 0, end: 0.8, text: 'Heard after the restart.' }] });
  const second = await coreWithReply(cleanups, { dataDir, mock });
  const final = await second.reply.waitForFinal(job.id, 30_000);
  if (final.kind !== 'result') throw new Error('expected a result');
  expect(final.result.captions?.transcript).toBe('Heard after the restart.');
  expect(readSrt(final.result.captions?.srt ?? '')).toHaveLength(1);
  expect(final.result.notes).toEqual([]);
});

test('typed text whose speech-to-text is still running when the video is ready: captions by sentence, the video not held back', async () => {
  const { h, reply } = await coreWithReply(cleanups, { env: { AVATAR_REQUEST_TIMEOUT_SECONDS: '60' } });
  h.mock.failNext('stt', { kind: 'stall', ms: 30_000 });
  const job = await h.core.jobs.create(await testRequest({ speech: typedText('One sentence. And another one.', 'preview-en-us') }));
  const final = await reply.waitForFinal(job.id, 30_000);
  if (final.kind !== 'result') throw new Error('expected a result');
  expect(h.mock.sttRequests()).toHaveLength(1);
  expect(final.result.captions?.source).toBe('typed-text');
  expect(readVtt(final.result.captions?.vtt ?? '').map((c) => c.text)).toEqual(['One sentence.', 'And another one.']);
  expect(final.result.notes).toEqual([]);
});
