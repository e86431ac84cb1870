/**
 * The fake service's speech-to-text (`POST /v1/speech/stt`, which the preview server lacks):
 * segments a test gives, or one derived segment across the audio, answered in the spec's
 * shape; every request is recorded.
 */
import { wavSeconds } from '../../../src/preview-avatar/wav-seconds.js';

interface SttSegment {
  start: number;
  end: number;
  text: string;
}

/** What the fake hears. `segments` as a function gets the audio's estimated seconds. */
export interface FakeStt {
  text?: string;
  segments?: SttSegment[] | ((seconds: number) => SttSegment[]) | null;
}

/** One STT request as received. */
export interface SttRequest {
  /** Decoded audio bytes (0 when the body had no base64 `audio`). */
  audioBytes: number;
  /** The audio's length as the fake estimates it (see audioSecondsOf). */
  seconds: number;
}

const DERIVED_TEXT = 'Hello from the fake speech to text.';

/**
 * A WAV's length from its header; anything else is taken for the bot's prepared MP3 (32 kbit/s,
 * constant bit rate: 4000 bytes a second). An estimate, as a fake needs no more.
 */
function audioSecondsOf(audio: Uint8Array): number {
  const wav = wavSeconds(audio);
  return wav > 0 ? wav : audio.byteLength / 4000;
}

function audioOf(body: unknown): Buffer {
  const b64 = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)['audio'] : undefined;
  return typeof b64 === 'string' ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
}

/** What is recorded of a request. */
export function sttRequestOf(body: unknown): SttRequest {
  const audio = audioOf(body);
  return { audioBytes: audio.byteLength, seconds: audioSecondsOf(audio) };
}

/** The answer to one request, in the spec's shape (STTApiResponseBody). */
export function answerStt(stt: FakeStt, body: unknown, id: number): unknown {
  const seconds = audioSecondsOf(audioOf(body));
  const text = stt.text ?? DERIVED_TEXT;
  const given = typeof stt.segments === 'function' ? stt.segments(seconds) : stt.segments;
  const segments = given === undefined ? [{ start: 0, end: Math.max(0.1, seconds), text }] : given;
  const data = {
    id: `stt-${id}`,
    text: stt.text ?? segments?.map((s) => s.text).join(' ') ?? '',
    transcription: segments,
    input_duration: seconds,
  };
  return { data };
}
