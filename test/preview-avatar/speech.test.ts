import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWN_VOICES_PATH, PREMADE_VOICES_PATH, TTS_PATH } from '../../src/core/api-paths.js';
import { createPreviewAvatarServer, type PreviewAvatarServer } from '../../src/preview-avatar/index.js';
import { API_KEY, API_TEST_OPTIONS, call, ffmpegReport, problem } from './helpers.js';
import { ErrorModel, TtsApiResponseBody, VoiceListResponseBody } from './openapi-speech.js';

let mock: PreviewAvatarServer;
let tmp = '';

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preview-speech-test-'));
  mock = createPreviewAvatarServer({ ...API_TEST_OPTIONS });
  await mock.start();
});
afterAll(async () => {
  await mock.close();
  await rm(tmp, { recursive: true, force: true });
});

/** A TTS call with the key (or, with `key: null`, none). */
const tts = (body: unknown, key: string | null = API_KEY) =>
  call(mock.url + TTS_PATH, { body: typeof body === 'string' ? body : JSON.stringify(body), ...(key === null ? {} : { key }) });

/** A TTS answer's data, checked against the OpenAPI schema. */
async function speak(text: string, extra: Record<string, unknown> = {}) {
  const res = await tts({ text, voice_profile_id: 'preview-en-us', return_type: 'b64_audio_str', ...extra });
  expect(res.status, res.text).toBe(200);
  const data = TtsApiResponseBody.parse(JSON.parse(res.text)).data;
  if (data === undefined) throw new Error('no data');
  return data;
}

/** ffmpeg's own reading of a WAV: its codec line and duration in seconds. */
async function ffmpegSees(wav: Buffer): Promise<{ seconds: number; report: string }> {
  const path = join(tmp, `${Math.random().toString(36).slice(2)}.wav`);
  await writeFile(path, wav);
  const report = await ffmpegReport(path);
  const m = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(report);
  if (m === null) throw new Error(`no duration in: ${report}`);
  return { seconds: Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]), report };
}

describe('preview avatar: text to speech', () => {
  it('speaks a WAV (22050 Hz mono PCM) whose duration grows with the text and matches output_duration', async () => {
    const short = await speak('Hello.');
    const long = await speak('Hello. This sentence is a good deal longer, so it takes the voice much longer to say it.');
    expect(short.voice_profile_id).toBe('preview-en-us');
    expect(short.id).not.toBe(long.id);
    const a = Buffer.from(short.b64_audio_str ?? '', 'base64');
    const b = Buffer.from(long.b64_audio_str ?? '', 'base64');
    expect(a.subarray(0, 4).toString('latin1')).toBe('RIFF');
    const seenA = await ffmpegSees(a);
    const seenB = await ffmpegSees(b);
    expect(seenA.report).toMatch(/Audio: pcm_s16le.*, 22050 Hz, mono/);
    expect(seenA.seconds).toBeGreaterThan(0.2);
    expect(seenB.seconds).toBeGreaterThan(seenA.seconds * 2);
    expect(short.output_duration).toBeCloseTo(seenA.seconds, 1);
    expect(long.output_duration).toBeCloseTo(seenB.seconds, 1);
  });

  it('speaks a text that starts with a dash instead of taking it as an option', async () => {
    const data = await speak('--help -v de');
    const seen = await ffmpegSees(Buffer.from(data.b64_audio_str ?? '', 'base64'));
    // "dash dash help dash v d e" takes over a second; eSpeak's help text would be no audio at all.
    expect(seen.seconds).toBeGreaterThan(1);
  });

  it('answers with a file_url served by the server when asked for one', async () => {
    const res = await tts({ text: 'A file, please.', voice_profile_id: 'preview-de', return_type: 'file_url' });
    expect(res.status).toBe(200);
    const data = TtsApiResponseBody.parse(JSON.parse(res.text)).data;
    expect(data?.b64_audio_str).toBeUndefined();
    expect(data?.file_url).toMatch(new RegExp(`^${mock.url}/files/speech-[a-z0-9]+\\.wav$`));
    const file = await fetch(data?.file_url ?? '');
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('audio/wav');
    const seen = await ffmpegSees(Buffer.from(await file.arrayBuffer()));
    expect(seen.seconds).toBeCloseTo(data?.output_duration ?? -1, 1);
    expect((await call(`${mock.url}/files/speech-nosuchfile.wav`)).status).toBe(404);
  });

  it('speaks a Chinese voice in the variant chinese_language names', async () => {
    const text = '你好，世界。今天天氣很好。';
    const yue = await speak(text, { voice_profile_id: 'preview-yue' });
    const mandarin = await speak(text, { voice_profile_id: 'preview-yue', chinese_language: 'mandarin' });
    const zh = await speak(text, { voice_profile_id: 'preview-zh' });
    expect(mandarin.b64_audio_str).toBe(zh.b64_audio_str);
    expect(yue.b64_audio_str).not.toBe(zh.b64_audio_str);
  });

  it('refuses bad bodies with 400 problem+json naming each field', async () => {
    const cases: Array<[unknown, string[]]> = [
      [{ voice_profile_id: 'preview-en-us', return_type: 'b64_audio_str' }, ['body.text']],
      [{ text: '', voice_profile_id: 'preview-en-us', return_type: 'b64_audio_str' }, ['body.text']],
      [{ text: 'é'.repeat(10_001), voice_profile_id: 'preview-en-us', return_type: 'b64_audio_str' }, ['body.text']],
      [{ text: 'hi', return_type: 'b64_audio_str' }, ['body.voice_profile_id']],
      [{ text: 'hi', voice_profile_id: 'preview-en-us', return_type: 'mp3' }, ['body.return_type']],
      [{ text: 'hi', voice_profile_id: 'preview-zh', return_type: 'file_url', chinese_language: 'hakka' }, ['body.chinese_language']],
      [{ text: 'hi', voice_profile_id: 'preview-en-us', return_type: 'file_url', opts: { temperature: 3 } }, ['body.opts.temperature']],
      [{ text: 7, voice_profile_id: 'preview-en-us', return_type: 'file_url', speed: 2 }, ['body.speed', 'body.text']],
      [['hi'], ['body']],
      ['{"text": "hi",', ['body']],
    ];
    for (const [body, locations] of cases) {
      const res = await tts(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.headers['content-type']).toBe('application/problem+json');
      const p = ErrorModel.parse(JSON.parse(res.text));
      expect(p.errors?.map((e) => e.location)).toEqual(locations);
    }
    // 10,000 characters are allowed (code points, not UTF-16 units: each of these is two).
    expect((await tts({ text: '😀'.repeat(10), voice_profile_id: 'preview-en-us', return_type: 'file_url' })).status).toBe(200);
  });

  it('answers an unknown voice with 404 naming voice_profile_id', async () => {
    const res = await tts({ text: 'hi', voice_profile_id: 'no-such-voice', return_type: 'b64_audio_str' });
    expect(res.status).toBe(404);
    const p = problem(res.text);
    expect(p.errors?.map((e) => e.location)).toEqual(['body.voice_profile_id']);
    expect(p.detail).toContain('no-such-voice');
  });

  it('asks for the bearer on the speech and voice endpoints, without echoing a wrong one', async () => {
    const none = await tts({ text: 'hi', voice_profile_id: 'preview-en-us', return_type: 'b64_audio_str' }, null);
    expect(none.status).toBe(401);
    const wrong = await call(mock.url + PREMADE_VOICES_PATH, { key: 'not-the-key' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('not-the-key');
    expect((await call(mock.url + OWN_VOICES_PATH)).status).toBe(401);
    expect((await call(mock.url + TTS_PATH, { key: API_KEY })).status).toBe(405);
  });
});

describe('preview avatar: voices', () => {
  it('lists premade preview voices in several languages, shaped as the OpenAPI schema says', async () => {
    const res = await call(mock.url + PREMADE_VOICES_PATH, { key: API_KEY });
    expect(res.status).toBe(200);
    const voices = VoiceListResponseBody.parse(JSON.parse(res.text)).data ?? [];
    expect(voices.length).toBeGreaterThanOrEqual(5);
    for (const v of voices) {
      expect(v.name).toMatch(/^Preview voice · /);
      expect(v.is_premade).toBe(true);
      expect(v.status).toBe('READY');
      expect(v.description).toMatch(/preview/i);
      expect(v.sample_clip).toBe(`${mock.url}/files/voice-sample-${v.id}.wav`);
    }
    const languages = voices.flatMap((v) => v.languages ?? []);
    for (const l of ['en', 'de', 'fr', 'es', 'mandarin', 'yue']) expect(languages).toContain(l);
    expect(new Set(voices.map((v) => v.id)).size).toBe(voices.length);
  });

  it('lists no own voices', async () => {
    const res = await call(mock.url + OWN_VOICES_PATH, { key: API_KEY });
    expect(res.status).toBe(200);
    expect(VoiceListResponseBody.parse(JSON.parse(res.text))).toEqual({ data: [] });
  });

  it('serves each sample clip as a WAV of its voice, the same bytes each time', async () => {
    const voices = VoiceListResponseBody.parse(JSON.parse((await call(mock.url + PREMADE_VOICES_PATH, { key: API_KEY })).text)).data ?? [];
    const clips = await Promise.all(voices.map(async (v) => Buffer.from(await (await fetch(v.sample_clip ?? '')).arrayBuffer())));
    for (const clip of clips) {
      const seen = await ffmpegSees(clip);
      expect(seen.report).toMatch(/Audio: pcm_s16le/);
      expect(seen.seconds).toBeGreaterThan(1);
    }
    // Each voice says its own sentence.
    expect(new Set(clips.map((c) => c.toString('base64'))).size).toBe(clips.length);
    const again = Buffer.from(await (await fetch(voices[0]?.sample_clip ?? '')).arrayBuffer());
    expect(again.equals(clips[0] ?? Buffer.alloc(0))).toBe(true);
    expect((await call(`${mock.url}/files/voice-sample-preview-klingon.wav`)).status).toBe(404);
  });
});

describe('preview avatar: speech stays off the event loop', () => {
  it('keeps timers firing while five texts are spoken', async () => {
    const text = 'This is a sentence of a fair length, spoken five times over so that it keeps the synthesizer busy. '.repeat(3);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => tts({ text, voice_profile_id: 'preview-en-gb', return_type: 'file_url' })),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    } finally {
      clearInterval(timer);
    }
    // Spoken on this thread, the loop turns about twice per synthesis (about 10 here: each blocks
    // it for the whole text); off it, the timer keeps firing throughout (over a thousand on a
    // quiet machine). 20 keeps the two apart even on a machine busy with other test files.
    expect(ticks).toBeGreaterThan(20);
  });
});
