/**
 * Typed text at intake, against a real (in-memory SQLite) store, with the avatar service and
 * media preparation scripted. The engine is never started: a job stays queued, so these tests
 * see exactly what intake did and what it cost.
 */
import pino from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import { AvatarError } from '../../../src/core/errors.js';
import type { MediaPreparation } from '../../../src/core/jobs/context.js';
import { createJobEngine, type JobEngine } from '../../../src/core/jobs/engine.js';
import { bytesInput } from '../../../src/core/media-input.js';
import { MediaError } from '../../../src/core/errors.js';
import { typedText, type AvatarApi, type AvatarRequest, type SpeakInput, type Voice } from '../../../src/core/ports.js';
import { defaultPollPlan } from '../../../src/core/schedule/policy.js';
import type { JobStore } from '../../../src/core/store/port.js';
import { openJobStore } from '../../../src/core/store/sqlite/store.js';

const open: Array<{ engine: JobEngine; store: JobStore }> = [];
afterEach(async () => {
  for (const { engine, store } of open.splice(0)) {
    await engine.stop();
    await store.close();
  }
});

const VOICES: Voice[] = [
  { id: 'v-en', name: 'Ada', description: '', languages: ['en'], sampleUrl: null, premade: true },
  { id: 'v-yue', name: 'Kit', description: '', languages: ['yue'], sampleUrl: null, premade: true },
];
const SPOKEN = Buffer.from('RIFF-spoken-audio');

function setup(options: { speak?: (input: SpeakInput) => Promise<{ audio: Uint8Array; seconds: number | null }>; tooLong?: boolean } = {}) {
  const store = openJobStore(':memory:');
  const spoken: SpeakInput[] = [];
  const prepared: Uint8Array[] = [];
  const api: AvatarApi = {
    submit: () => Promise.reject(new Error('not submitted in these tests')),
    status: () => Promise.reject(new Error('not polled in these tests')),
    async speak(input) {
      spoken.push(input);
      return options.speak === undefined ? { audio: SPOKEN, seconds: 1.2 } : options.speak(input);
    },
    voices: async () => VOICES,
    transcribe: () => Promise.reject(new Error('no speech-to-text in these tests')),
  };
  const media: MediaPreparation = {
    async prepare(image, audio) {
      prepared.push(audio);
      if (options.tooLong === true) {
        throw new MediaError('audio', 'TOO_LONG', 'audio: 400 s over 300', { facts: { seconds: 400, max: 300 } });
      }
      return { image, imageType: 'image/jpeg', audio, audioType: 'audio/wav', audioSeconds: 1.2 };
    },
    prepareImage: () => Promise.reject(new Error('unused')),
    sniff: () => Promise.reject(new Error('unused')),
    finishVideo: () => Promise.reject(new Error('unused')),
  };
  const engine = createJobEngine(
    {
      timeoutMs: 60_000,
      poll: defaultPollPlan,
      renderRatio: 1,
      retentionMs: 3600_000,
      jobRetentionMs: 30 * 86_400_000,
      limits: { perPerson: 2, perGroup: 10, inFlight: 10, queueMax: 100, quotaPerPersonDaily: 1, quotaPerGroupDaily: 0 },
      media: { imageBytes: 1_000_000, audioBytes: 1_000_000, audioSeconds: 300, textChars: 20 },
      publicUrl: undefined,
      webhookFallbackMs: 20_000,
      preview: false,
      sweepMs: 60_000,
    },
    { store, api, media, logger: pino({ level: 'silent' }) },
  );
  open.push({ engine, store });
  return { engine, store, spoken, prepared };
}

function request(text: string, voiceId?: string, locale?: string): AvatarRequest {
  return {
    platform: 'test',
    requesterId: 'alice',
    groupId: 'team-1',
    replyTo: 'test:alice',
    image: bytesInput(Uint8Array.from([0xff, 0xd8, 0xff])),
    speech: typedText(text, voiceId),
    ...(locale === undefined ? {} : { locale }),
  };
}

test('typed text is spoken once, in the chosen voice, and the job keeps the speech as its audio', async () => {
  const { engine, store, spoken, prepared } = setup();
  const job = await engine.create(request('  Hello   team ', 'v-en'));
  expect(spoken).toEqual([{ text: 'Hello team', voiceId: 'v-en' }]);
  expect(prepared).toEqual([SPOKEN]);
  expect(job.state).toBe('queued');
  expect(Buffer.from((await store.getMedia(job.id))?.audio ?? [])).toEqual(SPOKEN);
});

test('a Cantonese voice is asked for with chinese_language, and the locale picks the voice when none is named', async () => {
  const { engine, spoken } = setup();
  await engine.create(request('你好', undefined, 'zh-HK'));
  expect(spoken).toEqual([{ text: '你好', voiceId: 'v-yue', chineseLanguage: 'yue' }]);
});

describe('refused before anything is spoken or counted', () => {
  test('empty, too long, an unknown voice', async () => {
    const { engine, store, spoken } = setup();
    await expect(engine.create(request('   '))).rejects.toMatchObject({ code: 'INVALID_TEXT', reason: 'EMPTY' });
    await expect(engine.create(request('x'.repeat(21)))).rejects.toMatchObject({
      code: 'INVALID_TEXT',
      reason: 'TOO_LONG',
      facts: { chars: 21, limit: 20 },
    });
    await expect(engine.create(request('hi', 'v-gone'))).rejects.toMatchObject({ code: 'UNKNOWN_VOICE', facts: { voice: 'v-gone' } });
    expect(spoken).toEqual([]);
    expect(await store.listForRequester('test', 'alice', 10)).toEqual([]);
    // The daily quota (1) is untouched: a good request still goes through.
    await expect(engine.create(request('hi'))).resolves.toMatchObject({ state: 'queued' });
  });

  test('over the daily quota: the text is not spoken (no credits spent)', async () => {
    const { engine, spoken } = setup();
    await engine.create(request('one'));
    await expect(engine.create(request('two'))).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(spoken.map((s) => s.text)).toEqual(['one']);
  });
});

test('a text-to-speech failure is the service’s error code, and no job is stored', async () => {
  const { engine, store } = setup({
    speak: () => Promise.reject(new AvatarError('API_CREDITS', 'out of credits', { status: 402 })),
  });
  await expect(engine.create(request('hello'))).rejects.toMatchObject({ code: 'API_CREDITS' });
  expect(await store.listForRequester('test', 'alice', 10)).toEqual([]);
});

test('speech longer than the audio limit is refused in words about the text', async () => {
  const { engine } = setup({ tooLong: true });
  await expect(engine.create(request('hello'))).rejects.toMatchObject({
    code: 'INVALID_TEXT',
    reason: 'SPEECH_TOO_LONG',
    facts: { seconds: 400, max: 300 },
  });
});
