import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createAvatarApi } from '../../src/core/avatar-api.js';
import { AvatarError } from '../../src/core/errors.js';
import { createFakeAvatarServer, type FakeAvatarServer } from '../fakes/avatar/index.js';

let mock: FakeAvatarServer;
const sleeps: number[] = [];

function api(overrides: { apiKey?: string; maxRetries?: number; maxRetryAfterMs?: number } = {}) {
  return createAvatarApi(
    {
      baseUrl: mock.url,
      apiKey: overrides.apiKey ?? 'test-key',
      requestTimeoutMs: 5000,
      maxRetries: overrides.maxRetries ?? 2,
      ...(overrides.maxRetryAfterMs === undefined ? {} : { maxRetryAfterMs: overrides.maxRetryAfterMs }),
    },
    {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
    },
  );
}

async function rejection(p: Promise<unknown>): Promise<AvatarError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AvatarError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

/** The TTS requests the fake received since `before`. */
const sentSince = (before: number) => mock.speechRequests().slice(before);

beforeAll(async () => {
  mock = createFakeAvatarServer({ apiKey: 'test-key', render: false });
  await mock.start();
});
afterAll(() => mock.close());
beforeEach(() => {
  sleeps.length = 0;
});

describe('avatar API client: speech', () => {
  test('speak sends the text, the voice and the Chinese variant, and returns the WAV with its duration', async () => {
    const before = mock.speechRequests().length;
    const spoken = await api().speak({ text: '你好', voiceId: 'preview-yue', chineseLanguage: 'yue' });
    expect(Buffer.from(spoken.audio).subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(spoken.seconds).toBeGreaterThan(0.1);
    await api().speak({ text: 'Hello there.', voiceId: 'preview-en-us' });
    expect(sentSince(before)).toEqual([
      { text: '你好', voice_profile_id: 'preview-yue', chinese_language: 'yue', return_type: 'b64_audio_str' },
      { text: 'Hello there.', voice_profile_id: 'preview-en-us', chinese_language: undefined, return_type: 'b64_audio_str' },
    ]);
  });

  test('a 429 is retried after Retry-After up to maxRetries, then is API_RATE_LIMIT', async () => {
    const before = mock.speechRequests().length;
    const limited = { kind: 'status', status: 429, headers: { 'Retry-After': '3' } } as const;
    mock.failNext('tts', limited, limited, limited, limited);
    const e = await rejection(api({ maxRetries: 2 }).speak({ text: 'hi', voiceId: 'preview-en-us' }));
    expect(e.code).toBe('API_RATE_LIMIT');
    expect(sentSince(before)).toHaveLength(3);
    expect(sleeps).toEqual([3000, 3000]);
    // The fourth scripted 429 is still queued: one retry later the speech comes through.
    const spoken = await api({ maxRetries: 2 }).speak({ text: 'hi', voiceId: 'preview-en-us' });
    expect(spoken.audio.byteLength).toBeGreaterThan(44);
    expect(sentSince(before)).toHaveLength(5);
  });

  test('a 429 asking for longer than maxRetryAfterMs is not waited for', async () => {
    const before = mock.speechRequests().length;
    mock.failNext('tts', { kind: 'status', status: 429, headers: { 'Retry-After': '600' } });
    const e = await rejection(api({ maxRetryAfterMs: 10_000 }).speak({ text: 'hi', voiceId: 'preview-en-us' }));
    expect(e.code).toBe('API_RATE_LIMIT');
    expect(e.retryAfterMs).toBe(600_000);
    expect(sentSince(before)).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  test('402 is API_CREDITS and a 500 is not retried (the speech may have been made and billed)', async () => {
    const before = mock.speechRequests().length;
    mock.failNext('tts', { kind: 'status', status: 402 }, { kind: 'status', status: 500 });
    expect((await rejection(api().speak({ text: 'a', voiceId: 'preview-en-us' }))).code).toBe('API_CREDITS');
    const e = await rejection(api().speak({ text: 'b', voiceId: 'preview-en-us' }));
    expect(e.code).toBe('API_UNAVAILABLE');
    expect(e.status).toBe(500);
    expect(sentSince(before)).toHaveLength(2);
  });

  test('an unknown voice is UNKNOWN_VOICE naming it; a bad text is API_BAD_REQUEST with the reason', async () => {
    const unknown = await rejection(api().speak({ text: 'hi', voiceId: 'withdrawn-voice' }));
    expect(unknown.code).toBe('UNKNOWN_VOICE');
    expect(unknown.facts).toEqual({ voice: 'withdrawn-voice' });
    const tooLong = await rejection(api().speak({ text: 'x'.repeat(10_001), voiceId: 'preview-en-us' }));
    expect(tooLong.code).toBe('API_BAD_REQUEST');
    expect(tooLong.detail).toContain('body.text');
  });

  test('a 401 is API_AUTH; a malformed 200 is API_BAD_RESPONSE, not retried', async () => {
    expect((await rejection(api({ apiKey: 'wrong' }).speak({ text: 'hi', voiceId: 'preview-en-us' }))).code).toBe('API_AUTH');
    const before = mock.speechRequests().length;
    mock.failNext('tts', { kind: 'malformed' });
    expect((await rejection(api().speak({ text: 'hi', voiceId: 'preview-en-us' }))).code).toBe('API_BAD_RESPONSE');
    expect(sentSince(before)).toHaveLength(1);
  });

  test('a file_url answer is fetched; a link that fails is API_UNAVAILABLE', async () => {
    const clip = `${mock.url}/files/voice-sample-preview-de.wav`;
    mock.failNext('tts', {
      kind: 'status',
      status: 200,
      body: { data: { id: 'x', voice_profile_id: 'preview-de', file_url: clip, output_duration: 2 } },
    });
    const spoken = await api().speak({ text: 'Hallo', voiceId: 'preview-de' });
    const direct = Buffer.from(await (await fetch(clip)).arrayBuffer());
    expect(Buffer.from(spoken.audio).equals(direct)).toBe(true);
    expect(spoken.seconds).toBe(2);
    mock.failNext('tts', {
      kind: 'status',
      status: 200,
      body: { data: { id: 'y', voice_profile_id: 'preview-de', file_url: `${mock.url}/files/speech-gone.wav` } },
    });
    expect((await rejection(api().speak({ text: 'Hallo', voiceId: 'preview-de' }))).code).toBe('API_UNAVAILABLE');
  });
});

describe('avatar API client: voices', () => {
  test('lists the premade preview voices with their sample links', async () => {
    const voices = await api().voices();
    expect(voices.length).toBeGreaterThanOrEqual(5);
    const first = voices[0];
    expect(first).toMatchObject({ id: 'preview-en-us', premade: true, sampleUrl: `${mock.url}/files/voice-sample-preview-en-us.wav` });
    expect(first?.name).toMatch(/^Preview voice/);
    expect(voices.find((v) => v.id === 'preview-zh')?.languages).toEqual(['zh', 'mandarin']);
  });

  test('own voices failing still lists the premade ones; premade failing is the error', async () => {
    mock.failNext('own-voices', { kind: 'status', status: 403 });
    const voices = await api().voices();
    expect(voices.map((v) => v.id)).toContain('preview-en-us');
    mock.failNext('voices', { kind: 'status', status: 402 });
    expect((await rejection(api().voices())).code).toBe('API_CREDITS');
  });

  test('a 503 on the premade list is retried (a read), then lists', async () => {
    const calls = mock.stats().voiceListCalls;
    mock.failNext('voices', { kind: 'status', status: 503 });
    expect((await api().voices()).length).toBeGreaterThan(0);
    // premade twice (the 503, the retry), own once
    expect(mock.stats().voiceListCalls - calls).toBe(3);
    expect(sleeps).toHaveLength(1);
  });
});
