import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AvatarError, MediaError } from '../../../src/core/errors.js';
import { createMediaPreparer, type MediaPreparer } from '../../../src/core/media/index.js';
import { createPooledPreparer, type PooledPreparer } from '../../../src/core/media/pool.js';
import { MEDIA_WORKER_SOURCE } from '../../../src/core/media/worker-source.js';
import { testFfmpeg as ffmpeg } from '../../helpers/ffmpeg.js';
import { makeJpeg, makeTone } from '../../helpers/media.js';

const config = { maxAudioSeconds: 3 };
const direct = createMediaPreparer(config, { ffmpegPath: ffmpeg.path });
let pool: PooledPreparer | null = null;

function pooled(workerSource?: string): PooledPreparer {
  pool = createPooledPreparer(config, { ffmpegPath: ffmpeg.path, size: 2, ...(workerSource === undefined ? {} : { workerSource }) });
  return pool;
}

afterEach(async () => {
  await pool?.stop();
  pool = null;
});

/** What a refusal carries that people's words are made from, or the value when there is none. */
async function outcome<T>(p: Promise<T>): Promise<T | { code: string; kind?: string; reason?: string; facts: object; isMedia: boolean }> {
  try {
    return await p;
  } catch (err) {
    if (!(err instanceof AvatarError)) throw err;
    return {
      code: err.code,
      facts: err.facts,
      isMedia: err instanceof MediaError,
      ...(err.reason === undefined ? {} : { reason: err.reason }),
      ...(err instanceof MediaError ? { kind: err.kind } : {}),
    };
  }
}

/** Same calls on both preparers: the pool must answer exactly as the direct one does. */
async function both<T>(call: (p: MediaPreparer) => Promise<T>): Promise<[unknown, unknown]> {
  const p = pool ?? pooled();
  return [await outcome(call(direct)), await outcome(call(p))];
}

describe('createPooledPreparer', () => {
  it('prepares a good image and voice note as the direct preparer does, as Buffers', async () => {
    const jpeg = await makeJpeg(128, 128);
    const wav = await makeTone(1);
    const [fromDirect, fromPool] = await both((p) => p.prepare(jpeg, wav));
    expect(fromPool).toEqual(fromDirect);
    const made = fromPool as { image: Buffer; audio: Buffer; audioSeconds: number };
    expect(Buffer.isBuffer(made.image)).toBe(true);
    expect(Buffer.isBuffer(made.audio)).toBe(true);
    expect(made.audioSeconds).toBeGreaterThan(0.9);
    // The caller's bytes are copied to the worker, never taken from it.
    expect(jpeg.byteLength).toBeGreaterThan(0);
    expect(wav.byteLength).toBeGreaterThan(0);
  });

  it('refuses a truncated image with the same kind, reason and facts', async () => {
    const jpeg = await makeJpeg(128, 128);
    const [fromDirect, fromPool] = await both((p) => p.prepareImage(jpeg.subarray(0, Math.floor(jpeg.length / 2))));
    expect(fromPool).toMatchObject({ code: 'INVALID_MEDIA', kind: 'image', isMedia: true });
    expect(fromPool).toEqual(fromDirect);
  });

  it('refuses a text file passed as audio with the same kind, reason and facts', async () => {
    const [fromDirect, fromPool] = await both((p) => p.prepareAudio(Buffer.from('just some words, not a voice note\n'.repeat(20))));
    expect(fromPool).toMatchObject({ code: 'INVALID_MEDIA', kind: 'audio', reason: 'NOT_AUDIO', isMedia: true });
    expect(fromPool).toEqual(fromDirect);
  });

  it('refuses too-long audio with its seconds and limit', async () => {
    const wav = await makeTone(4);
    const [fromDirect, fromPool] = await both((p) => p.prepareAudio(wav));
    expect(fromPool).toMatchObject({ kind: 'audio', reason: 'TOO_LONG', facts: { max: 3 } });
    expect(fromPool).toEqual(fromDirect);
  });

  it('caption burns never take the last worker: a new request is still prepared', async () => {
    // The real worker, except that a finished video tagged "hang" is never answered: a burn that runs on.
    const hanging = `{
      const port = require('node:worker_threads').parentPort;
      const on = port.on.bind(port);
      port.on = (ev, fn) => on(ev, ev !== 'message' ? fn : (j) => (j.op === 'finish-video' && j.input.tags.hang ? undefined : fn(j)));
    }
    ${MEDIA_WORKER_SOURCE}`;
    const p = pooled(hanging);
    const video = {
      video: new Uint8Array(8),
      tags: { hang: 'yes' },
      burnTimeoutMs: 60_000,
      burn: { cues: [{ start: 0, end: 1, text: 'hi' }], cornerMark: false },
    };
    const burns = [p.finishVideo(video), p.finishVideo(video)].map((b) => b.catch((e: unknown) => e));
    // Two workers, two endless burns: the second waits, and the image is prepared on the other worker.
    const img = await p.prepareImage(await makeJpeg(128, 128), 'face');
    expect(img.type).toBe('image/jpeg');
    await p.stop();
    for (const b of await Promise.all(burns)) expect(b).toBeInstanceOf(AvatarError);
  });

  it('a video to tag that needs a worker goes ahead of requests already waiting', async () => {
    pool = createPooledPreparer(config, { ffmpegPath: ffmpeg.path, size: 1 });
    const p = pool;
    const jpeg = await makeJpeg(256, 256);
    const order: string[] = [];
    const settled = (name: string, job: Promise<unknown>) =>
      job.then(
        () => order.push(name),
        () => order.push(name),
      );
    // Bytes the JavaScript tagger will not edit go to a worker (where ffmpeg refuses them: only the order matters here).
    const tag = { video: new Uint8Array(64), tags: { title: 'x' }, burnTimeoutMs: 10_000 };
    await Promise.all([
      settled('first request', p.prepareImage(jpeg)),
      settled('second request', p.prepareImage(jpeg)),
      settled('third request', p.prepareImage(jpeg)),
      settled('tag', p.finishVideo(tag)),
    ]);
    // One worker: the first request was already on it; the tag came next, before the two that waited longer.
    expect(order).toEqual(['first request', 'tag', 'second request', 'third request']);
  });

  it('fails the job of a worker that dies with a clear error, and keeps serving', async () => {
    // The real worker, whose job listener exits the thread on a job named "crash" (wrapped where
    // it is registered: a listener of our own would start the port and take the first job).
    const crashing = `{
      const port = require('node:worker_threads').parentPort;
      const on = port.on.bind(port);
      port.on = (ev, fn) => on(ev, ev !== 'message' ? fn : (j) => (j.name === 'crash' ? process.exit(7) : fn(j)));
    }
    ${MEDIA_WORKER_SOURCE}`;
    const p = pooled(crashing);
    const jpeg = await makeJpeg(128, 128);
    const failed = await outcome(p.prepareImage(jpeg, 'crash'));
    expect(failed).toMatchObject({ code: 'INTERNAL', isMedia: false });
    const err = await p.prepareImage(jpeg, 'crash').catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/media worker stopped.*exit code 7/);
    const fine = await p.prepareImage(jpeg, 'face');
    expect(fine.type).toBe('image/jpeg');
  });

  it('stop() ends the workers and refuses later jobs', async () => {
    const p = pooled();
    const jpeg = await makeJpeg(128, 128);
    await p.prepareImage(jpeg);
    await p.stop();
    await expect(p.prepareImage(jpeg)).rejects.toMatchObject({ code: 'INTERNAL', message: 'The media workers are stopped.' });
  });

  it('sends the worker log lines to the main logger', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'debug' }, { write: (l: string) => lines.push(JSON.parse(l) as Record<string, unknown>) });
    pool = createPooledPreparer(config, { ffmpegPath: ffmpeg.path, size: 1, logger });
    await pool.prepareImage(Buffer.from('not an image at all, only text'.repeat(4)), 'face.png').catch(() => undefined);
    const jpeg = await makeJpeg(128, 128);
    await pool.prepareImage(jpeg.subarray(0, 200), 'cut.jpg').catch(() => undefined);
    expect(lines.some((l) => l.msg === 'image decode failed' && l.media === 'image' && l.name === 'cut.jpg')).toBe(true);
  });
});
