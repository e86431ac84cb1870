import { describe, expect, it } from 'vitest';
import { AvatarError } from '../../src/core/errors.js';
import { speechRefusal, parseSpeechAnswer, parseVoiceList } from '../../src/core/speech-answers.js';
import { makeToneWav } from '../preview-avatar/helpers.js';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** The audio of a base64 answer (fails the test on a file_url answer). */
function audioOf(json: unknown): { audio: Buffer; seconds: number | null } {
  const answer = parseSpeechAnswer(json);
  if (!('audio' in answer)) throw new Error('expected audio');
  return { audio: Buffer.from(answer.audio), seconds: answer.seconds };
}

function thrown(fn: () => unknown): AvatarError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AvatarError) return err;
    throw err;
  }
  throw new Error('expected a throw');
}

/** Raw 16-bit mono PCM: a slow ramp starting at `first`. */
function pcm(samples: number, first = 0): Buffer {
  const b = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) b.writeInt16LE(Math.max(-32768, Math.min(32767, first + i)), i * 2);
  return b;
}

const wavHeader = (wav: Buffer) => ({
  riff: wav.subarray(0, 4).toString('latin1'),
  riffSize: wav.readUInt32LE(4),
  rate: wav.readUInt32LE(24),
  channels: wav.readUInt16LE(22),
  bits: wav.readUInt16LE(34),
  dataSize: wav.readUInt32LE(40),
});

describe('TTS answers', () => {
  it('passes a RIFF/WAVE answer through unchanged, with its duration', () => {
    const wav = makeToneWav(0.5);
    const { audio, seconds } = audioOf({ data: { id: 'a', voice_profile_id: 'v', b64_audio_str: b64(wav), output_duration: 0.5 } });
    expect(audio.equals(wav)).toBe(true);
    expect(seconds).toBe(0.5);
  });

  it('wraps raw PCM as WAV, its rate inferred from output_duration', () => {
    for (const rate of [16000, 22050, 24000, 48000]) {
      const raw = pcm(rate / 2);
      const { audio } = audioOf({ data: { id: 'a', voice_profile_id: 'v', b64_audio_str: b64(raw), output_duration: 0.5 } });
      expect(wavHeader(audio)).toEqual({ riff: 'RIFF', riffSize: 36 + raw.length, rate, channels: 1, bits: 16, dataSize: raw.length });
      expect(audio.subarray(44).equals(raw)).toBe(true);
    }
    // 1.37 s of 22,050 Hz said as a rounded 1.4 s still lands on 22,050 Hz.
    const rounded = audioOf({ data: { b64_audio_str: b64(pcm(Math.round(22050 * 1.37))), output_duration: 1.4 } });
    expect(wavHeader(rounded.audio).rate).toBe(22050);
    // No duration: the spec's usual 24 kHz.
    expect(wavHeader(audioOf({ data: { b64_audio_str: b64(pcm(100)) } }).audio).rate).toBe(24000);
  });

  it('takes PCM that opens on a small negative sample for PCM, and a real MP3 frame for MP3', () => {
    // -7937 is bytes FF E0: an MPEG sync word to a lax sniffer.
    const raw = pcm(2000, -7937);
    expect(raw.subarray(0, 2).toString('hex')).toBe('ffe0');
    expect(
      audioOf({ data: { b64_audio_str: b64(raw), output_duration: 2000 / 16000 } })
        .audio.subarray(0, 4)
        .toString('latin1'),
    ).toBe('RIFF');
    // MPEG-1 layer III, 128 kbit/s, 44.1 kHz.
    const mp3 = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)]);
    expect(audioOf({ data: { b64_audio_str: b64(mp3) } }).audio.equals(mp3)).toBe(true);
  });

  it('drops a trailing odd byte of raw PCM', () => {
    const raw = Buffer.concat([pcm(100), Buffer.from([7])]);
    const { audio } = audioOf({ data: { b64_audio_str: b64(raw) } });
    expect(wavHeader(audio).dataSize).toBe(200);
  });

  it('refuses answers without usable audio as API_BAD_RESPONSE', () => {
    for (const json of [
      { data: { b64_audio_str: 'not base64 at all!' } },
      { data: { b64_audio_str: b64(Buffer.from([1])) } },
      { data: { b64_audio_str: '' } },
      { data: { id: 'a', voice_profile_id: 'v' } },
      { data: { file_url: 'ftp://example.invalid/a.wav' } },
      { data: null },
      'nonsense',
    ]) {
      const e = thrown(() => parseSpeechAnswer(json));
      expect(e.code, JSON.stringify(json)).toBe('API_BAD_RESPONSE');
      expect(e.reason).toBe('BAD_SPEECH_ANSWER');
    }
  });

  it('gives a file_url answer back as a link to fetch, with its duration', () => {
    expect(parseSpeechAnswer({ data: { file_url: 'https://cdn.example/a.wav', output_duration: 2.5 } })).toEqual({
      fileUrl: 'https://cdn.example/a.wav',
      seconds: 2.5,
    });
  });
});

describe('voice lists', () => {
  it('keeps ready voices with their fields, drops unusable entries, defaults premade by list', () => {
    const voices = parseVoiceList(
      {
        data: [
          {
            id: 'a',
            name: ' Anna ',
            description: 'warm',
            languages: ['en', 3, ''],
            sample_clip: 'https://x.example/a.mp3',
            is_premade: true,
            status: 'READY',
          },
          { id: 'b', status: 'TRAINING' },
          { name: 'no id' },
          { id: 'c', sample_clip: 'javascript:alert(1)' },
          'junk',
        ],
      },
      false,
    );
    expect(voices).toEqual([
      { id: 'a', name: 'Anna', description: 'warm', languages: ['en'], sampleUrl: 'https://x.example/a.mp3', premade: true },
      { id: 'c', name: 'c', description: '', languages: [], sampleUrl: null, premade: false },
    ]);
    expect(parseVoiceList({ data: null }, true)).toEqual([]);
    expect(thrown(() => parseVoiceList({ data: {} }, true)).code).toBe('API_BAD_RESPONSE');
    expect(thrown(() => parseVoiceList({}, true)).code).toBe('API_BAD_RESPONSE');
  });
});

describe('TTS refusals about the voice', () => {
  const apiError = (code: 'API_NOT_FOUND' | 'API_BAD_REQUEST' | 'API_RATE_LIMIT', status: number, detail: string) =>
    new AvatarError(code, 'x', { status, detail });

  it('become UNKNOWN_VOICE naming the voice: a 404, or a 400 about voice_profile_id', () => {
    const notFound = speechRefusal(apiError('API_NOT_FOUND', 404, '404 Not Found'), 'v-1');
    expect(notFound?.code).toBe('UNKNOWN_VOICE');
    expect(notFound?.facts).toEqual({ voice: 'v-1' });
    expect(speechRefusal(apiError('API_BAD_REQUEST', 400, '400 Bad Request: body.voice_profile_id: invalid'), 'v-2')?.code).toBe(
      'UNKNOWN_VOICE',
    );
  });

  it('tell a refused text by its reason and leave other failures alone', () => {
    expect(speechRefusal(apiError('API_BAD_REQUEST', 400, '400 Bad Request: body.text: too long'), 'v')).toMatchObject({
      code: 'API_BAD_REQUEST',
      reason: 'SPEECH',
      facts: { said: 'Bad Request: body.text: too long' },
    });
    expect(speechRefusal(apiError('API_RATE_LIMIT', 429, '429'), 'v')).toBeNull();
    expect(speechRefusal(new Error('boom'), 'v')).toBeNull();
  });
});
