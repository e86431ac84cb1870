import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWN_VOICES_PATH, PREMADE_VOICES_PATH, TTS_PATH } from '../../../src/core/api-paths.js';
import { API_KEY, API_TEST_OPTIONS, call } from '../../preview-avatar/helpers.js';
import { createFakeAvatarServer, type FakeAvatarServer } from './index.js';

let mock: FakeAvatarServer;

beforeAll(async () => {
  mock = createFakeAvatarServer({ ...API_TEST_OPTIONS });
  await mock.start();
});
afterAll(async () => {
  await mock.close();
});

const tts = (body: Record<string, unknown>) => call(mock.url + TTS_PATH, { body: JSON.stringify(body), key: API_KEY });

describe('fake avatar: speech and voices', () => {
  it('records each TTS request as sent, faulted and refused ones included', async () => {
    const before = mock.speechRequests().length;
    mock.failNext('tts', { kind: 'status', status: 429, headers: { 'Retry-After': '2' } });
    const limited = await tts({
      text: 'first',
      voice_profile_id: 'preview-zh',
      return_type: 'b64_audio_str',
      chinese_language: 'mandarin',
    });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    const refused = await tts({ text: 'second', voice_profile_id: 'nobody', return_type: 'b64_audio_str' });
    expect(refused.status).toBe(404);
    const ok = await tts({ text: 'third', voice_profile_id: 'preview-en-us', return_type: 'b64_audio_str' });
    expect(ok.status).toBe(200);
    expect(mock.speechRequests().slice(before)).toEqual([
      { text: 'first', voice_profile_id: 'preview-zh', chinese_language: 'mandarin', return_type: 'b64_audio_str' },
      { text: 'second', voice_profile_id: 'nobody', chinese_language: undefined, return_type: 'b64_audio_str' },
      { text: 'third', voice_profile_id: 'preview-en-us', chinese_language: undefined, return_type: 'b64_audio_str' },
    ]);
    expect(mock.stats().ttsCalls).toBe(before + 3);
  });

  it('plays scripted faults on the premade and own voice lists separately', async () => {
    mock.failNext('voices', { kind: 'status', status: 503 });
    mock.failNext('own-voices', { kind: 'malformed' });
    const own = await call(mock.url + OWN_VOICES_PATH, { key: API_KEY });
    expect(own.status).toBe(200);
    expect(() => JSON.parse(own.text)).toThrow();
    const premade = await call(mock.url + PREMADE_VOICES_PATH, { key: API_KEY });
    expect(premade.status).toBe(503);
    expect(premade.headers['content-type']).toBe('application/problem+json');
    const again = await call(mock.url + PREMADE_VOICES_PATH, { key: API_KEY });
    expect(again.status).toBe(200);
    expect((JSON.parse(again.text) as { data: unknown[] }).data.length).toBeGreaterThan(0);
  });
});
