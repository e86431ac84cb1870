/**
 * The client's speech-to-text (`POST /v1/speech/stt`) against the fake service over loopback
 * HTTP, and the preview server saying plainly that it has none.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { STT_PATH } from '../../src/core/api-paths.js';
import { createAvatarApi, NO_SPEECH_TO_TEXT } from '../../src/core/avatar-api.js';
import { AvatarError } from '../../src/core/errors.js';
import { createPreviewAvatarServer } from '../../src/preview-avatar/index.js';
import { createFakeAvatarServer, type FakeAvatarServer } from '../fakes/avatar/index.js';
import { makeTone } from '../helpers/media.js';

let mock: FakeAvatarServer;

const api = () =>
  createAvatarApi({ baseUrl: mock.url, apiKey: 'test-key', requestTimeoutMs: 5000, maxRetries: 2 }, { sleep: async () => undefined });

async function rejection(p: Promise<unknown>): Promise<AvatarError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AvatarError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  mock = createFakeAvatarServer({ apiKey: 'test-key', render: false });
  await mock.start();
});
afterAll(() => mock.close());

describe('avatar API client: speech to text', () => {
  test('transcribe sends the audio as base64 and returns the text and the timed segments', async () => {
    mock.setStt({
      text: 'Hello there. How are you?',
      segments: [
        { start: 1.2, end: 2.5, text: 'How are you?' },
        { start: 0, end: 1.1, text: 'Hello there.' },
      ],
    });
    const wav = await makeTone(1, 'wav');
    const before = mock.sttRequests().length;
    const heard = await api().transcribe(wav);
    expect(heard).toEqual({
      text: 'Hello there. How are you?',
      segments: [
        { start: 0, end: 1.1, text: 'Hello there.' },
        { start: 1.2, end: 2.5, text: 'How are you?' },
      ],
    });
    const sent = mock.sttRequests().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.audioBytes).toBe(wav.byteLength);
    expect(sent[0]?.seconds).toBeCloseTo(1, 1);
  });

  test('segments with impossible times or no text are left out; null segments are none', async () => {
    mock.setStt({
      text: 'kept',
      segments: [
        { start: -1, end: 1, text: 'negative' },
        { start: 2, end: 1, text: 'reversed' },
        { start: 1, end: 1, text: 'empty span' },
        { start: 0, end: Number.POSITIVE_INFINITY, text: 'infinite (JSON null)' },
        { start: 3, end: 4, text: 'kept' },
      ],
    });
    expect((await api().transcribe(await makeTone(1, 'wav'))).segments).toEqual([{ start: 3, end: 4, text: 'kept' }]);
    mock.setStt({ text: 'said but not timed', segments: null });
    expect(await api().transcribe(await makeTone(1, 'wav'))).toEqual({ text: 'said but not timed', segments: [] });
  });

  test('a 2xx answer that is not JSON, or not the spec’s shape, is API_BAD_RESPONSE (no retry: it may cost credits)', async () => {
    mock.setStt({});
    const before = mock.sttRequests().length;
    mock.failNext('stt', { kind: 'malformed' });
    expect((await rejection(api().transcribe(await makeTone(1, 'wav')))).code).toBe('API_BAD_RESPONSE');
    mock.failNext('stt', { kind: 'status', status: 200, body: { data: { transcription: [] } } });
    expect(await rejection(api().transcribe(await makeTone(1, 'wav')))).toMatchObject({
      code: 'API_BAD_RESPONSE',
      reason: 'BAD_TRANSCRIPT_ANSWER',
    });
    mock.failNext('stt', { kind: 'status', status: 200, body: { data: { text: 'x', transcription: 'not a list' } } });
    expect((await rejection(api().transcribe(await makeTone(1, 'wav')))).code).toBe('API_BAD_RESPONSE');
    expect(mock.sttRequests().length - before).toBe(3);
  });

  test('404, 405 and 501 all mean "this service has no speech-to-text"; a 500 is a failure', async () => {
    mock.setStt(false);
    const none = await rejection(api().transcribe(await makeTone(1, 'wav')));
    expect(none).toMatchObject({ code: 'API_NOT_FOUND', reason: NO_SPEECH_TO_TEXT, status: 404 });
    for (const status of [405, 501]) {
      mock.failNext('stt', { kind: 'status', status });
      expect(await rejection(api().transcribe(await makeTone(1, 'wav')))).toMatchObject({
        code: 'API_NOT_FOUND',
        reason: NO_SPEECH_TO_TEXT,
      });
    }
    mock.setStt({});
    mock.failNext('stt', { kind: 'status', status: 500 });
    const failed = await rejection(api().transcribe(await makeTone(1, 'wav')));
    expect(failed.code).toBe('API_UNAVAILABLE');
    expect(failed.reason).not.toBe(NO_SPEECH_TO_TEXT);
  });
});

test('the preview server answers speech-to-text with a problem+json 404, and refuses other methods with 405', async () => {
  const preview = createPreviewAvatarServer({ render: false });
  await preview.start();
  try {
    const res = await request(preview.url + STT_PATH, { method: 'POST', body: JSON.stringify({ audio: 'UklGRg==' }) });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(await res.body.json()).toMatchObject({ status: 404, detail: 'This service has no speech-to-text.' });
    const get = await request(preview.url + STT_PATH, { method: 'GET' });
    await get.body.dump();
    expect(get.statusCode).toBe(405);
  } finally {
    await preview.close();
  }
});
