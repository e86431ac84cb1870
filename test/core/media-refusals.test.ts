import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { errorSentence } from '../../src/bots/shared/words/errors.js';
import { MediaError } from '../../src/core/errors.js';
import { bytesInput } from '../../src/core/media-input.js';
import { voiceFile } from '../../src/core/ports.js';
import type { MediaInput } from '../../src/core/ports.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { makeJpeg, makePng, makeTone } from '../helpers/media.js';
import { recordingReply } from '../helpers/recording-reply.js';

let h: Harness;
beforeAll(async () => {
  // Small limits so "oversized" and "too long" need no big files.
  h = await startHarness({ env: { MAX_IMAGE_MB: '0.05', MAX_AUDIO_MB: '1', MAX_AUDIO_SECONDS: '3' } });
  h.core.registerReply('test', recordingReply());
  await h.startCore();
});
afterAll(() => h.stop());

async function refused(image: MediaInput, audio: MediaInput): Promise<MediaError> {
  const before = (await h.store.unfinishedJobs()).length;
  try {
    await h.core.jobs.create({ platform: 'test', requesterId: 'r', groupId: '', replyTo: 'test:x', image, speech: voiceFile(audio) });
  } catch (err) {
    expect(err).toBeInstanceOf(MediaError);
    // Refused before anything is stored or sent.
    expect((await h.store.unfinishedJobs()).length).toBe(before);
    expect(h.mock.stats().submits).toBe(0);
    return err as MediaError;
  }
  throw new Error('expected the job to be refused');
}

describe('a refused job never reaches the service', () => {
  test('a text file renamed .png', async () => {
    const e = await refused(bytesInput(Buffer.from('hello, I am not a picture\n'), 'face.png'), bytesInput(await makeTone(1)));
    expect(e.kind).toBe('image');
    expect(e.reason).toBe('NOT_IMAGE');
    expect(errorSentence(e)).toMatch(/^The image is not a picture/);
  });

  test('a 1x1 PNG cannot hold a face: refused from its header with the size found and the minimum', async () => {
    const e = await refused(bytesInput(await makePng(1, 1), 'face.png'), bytesInput(await makeTone(1)));
    expect(e.kind).toBe('image');
    expect(e.reason).toBe('TOO_SMALL');
    expect(e.facts).toEqual({ width: 1, height: 1, min: 64 });
    expect(errorSentence(e)).toBe(
      'The image is only 1 × 1 pixels; it must be at least 64 pixels on its shortest side. Please send a larger photo of the face.',
    );
  });

  test('a wide strip is measured by its shortest side', async () => {
    const e = await refused(bytesInput(await makeJpeg(1000, 63)), bytesInput(await makeTone(1)));
    expect(e.reason).toBe('TOO_SMALL');
    expect(e.facts).toEqual({ width: 1000, height: 63, min: 64 });
  });

  test('an empty audio file', async () => {
    const e = await refused(bytesInput(await makeJpeg()), bytesInput(new Uint8Array(), 'voice.ogg'));
    expect(e.kind).toBe('audio');
    expect(e.reason).toBe('EMPTY');
  });

  test('a truncated JPEG', async () => {
    const jpeg = await makeJpeg(200, 200);
    const e = await refused(bytesInput(jpeg.subarray(0, Math.floor(jpeg.length / 2))), bytesInput(await makeTone(1)));
    expect(e.reason).toBe('TRUNCATED');
  });

  test('an oversized image is refused from its declared size, before download', async () => {
    let loaded = false;
    const big: MediaInput = {
      declaredSize: 10 * 1024 * 1024,
      load: async () => {
        loaded = true;
        return new Uint8Array(10);
      },
    };
    const e = await refused(big, bytesInput(await makeTone(1)));
    expect(e.reason).toBe('TOO_LARGE');
    expect(e.facts).toEqual({ found: 10 * 1024 * 1024, limit: Math.round(0.05 * 1024 * 1024) });
    expect(errorSentence(e)).toBe('The image is 10 MB; the limit is 51.2 KB.');
    expect(loaded).toBe(false);
  });

  test('a loader that returns more than the limit is refused too', async () => {
    const e = await refused(bytesInput(await makeJpeg()), { load: async () => new Uint8Array(2 * 1024 * 1024) });
    expect(e.reason).toBe('TOO_LARGE');
  });

  test('too-long audio', async () => {
    const e = await refused(bytesInput(await makeJpeg()), bytesInput(await makeTone(5, 'ogg')));
    expect(e.reason).toBe('TOO_LONG');
    expect(errorSentence(e)).toMatch(/^The voice note is (over )?[\d.]+ s long; the limit is 3 s\.$/);
  });

  test('an image passed as audio', async () => {
    const e = await refused(bytesInput(await makeJpeg()), bytesInput(await makeJpeg()));
    expect(e.kind).toBe('audio');
    expect(e.reason).toBe('WRONG_KIND');
  });

  test('a download that fails is DOWNLOAD_FAILED with no URL in the message', async () => {
    await expect(
      h.core.jobs.create({
        platform: 'test',
        requesterId: 'r',
        groupId: '',
        replyTo: 'test:x',
        image: { load: async () => Promise.reject(new Error('GET https://cdn.example/signed?sig=SECRET failed')) },
        speech: voiceFile(bytesInput(await makeTone(1))),
      }),
    ).rejects.toSatisfy(
      (e: unknown) => e instanceof Error && (e as { code?: string }).code === 'DOWNLOAD_FAILED' && !e.message.includes('SECRET'),
    );
  });
});
