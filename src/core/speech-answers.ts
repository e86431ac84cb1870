/**
 * Checks the service's text-to-speech and voice-list answers, as status-answer.ts checks a
 * status answer: what leaves here is what the types promise, or an API_BAD_RESPONSE.
 */
import { AvatarError } from './errors.js';
import type { SpokenAudio, Voice } from './ports.js';

const bad = (detail: string): AvatarError =>
  new AvatarError('API_BAD_RESPONSE', `The avatar service's answer made no sense: ${detail}`, { detail, reason: 'BAD_SPEECH_ANSWER' });

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** PCM rates a speech service plausibly uses; a raw answer's rate is the nearest to bytes / duration. */
const PCM_RATES = [8000, 16000, 22050, 24000, 32000, 44100, 48000];
const DEFAULT_PCM_RATE = 24000;

/** A 44-byte WAV header for 16-bit mono PCM. */
function wavFromPcm(pcm: Uint8Array, rate: number): Uint8Array {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.byteLength, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.byteLength, 40);
  return Buffer.concat([header, pcm]);
}

function guessRate(bytes: number, seconds: number | null): number {
  if (seconds === null || seconds <= 0) return DEFAULT_PCM_RATE;
  const rate = bytes / 2 / seconds;
  return PCM_RATES.reduce((best, r) => (Math.abs(r - rate) < Math.abs(best - rate) ? r : best), DEFAULT_PCM_RATE);
}

/**
 * An MPEG audio layer III frame header without an ID3 tag: the sync bits, a real version and
 * layer III, a bitrate and a sample rate that exist. Laxer (any 0xFFE sync) would take raw PCM
 * opening on a small negative sample (bytes FF E0..FF) for MP3.
 */
function isMp3Frame(b: Uint8Array): boolean {
  const [b0 = 0, b1 = 0, b2 = 0] = b;
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 3;
  const layer = (b1 >> 1) & 3;
  const bitrate = b2 >> 4;
  const rate = (b2 >> 2) & 3;
  return version !== 1 && layer === 1 && bitrate !== 0 && bitrate !== 15 && rate !== 3;
}

/** Sniffs a container by its first bytes: RIFF/WAVE, Ogg, FLAC, MP3 (ID3 or a layer III frame). */
function hasContainer(b: Uint8Array): boolean {
  const ascii = (start: number, end: number): string => Buffer.from(b.subarray(start, end)).toString('latin1');
  if (b.byteLength < 4) return false;
  if (ascii(0, 4) === 'RIFF' || ascii(0, 4) === 'OggS' || ascii(0, 4) === 'fLaC' || ascii(0, 3) === 'ID3') return true;
  return isMp3Frame(b);
}

/**
 * Speech bytes as a playable file: a known container passes as it is; anything else is taken
 * for the raw 16-bit PCM the spec describes and wrapped as WAV (its rate from the duration).
 */
export function speechAudio(raw: Uint8Array, seconds: number | null): Uint8Array {
  if (hasContainer(raw)) return raw;
  const even = raw.subarray(0, raw.byteLength - (raw.byteLength % 2));
  return wavFromPcm(even, guessRate(raw.byteLength, seconds));
}

/**
 * A TTS answer's audio. The spec calls `b64_audio_str` "PCM s16" while its example starts with a
 * RIFF header: the bytes decide, and raw PCM is wrapped as WAV (its rate from the duration).
 */
export function parseSpeechAnswer(
  json: unknown,
): { audio: Uint8Array; seconds: number | null } | { fileUrl: string; seconds: number | null } {
  const data = isRecord(json) ? json['data'] : undefined;
  if (!isRecord(data)) return throwBad('no data object');
  const d = data['output_duration'];
  const seconds = typeof d === 'number' && Number.isFinite(d) && d >= 0 ? d : null;
  const b64 = data['b64_audio_str'];
  if (typeof b64 === 'string' && b64 !== '') {
    if (!/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(b64)) return throwBad('b64_audio_str is not base64');
    const raw = Buffer.from(b64, 'base64');
    if (raw.byteLength < 2) return throwBad('b64_audio_str holds no audio');
    return { audio: speechAudio(raw, seconds), seconds } satisfies SpokenAudio;
  }
  const url = data['file_url'];
  if (typeof url === 'string' && /^https?:\/\//i.test(url)) return { fileUrl: url, seconds };
  return throwBad('neither b64_audio_str nor an http(s) file_url');
}

function throwBad(detail: string): never {
  throw bad(detail);
}

/** One listed voice, or null for an entry that is unusable (no id, not ready). */
function voiceOf(v: unknown, premadeList: boolean): Voice | null {
  if (!isRecord(v)) return null;
  const id = v['id'];
  if (typeof id !== 'string' || id.trim() === '') return null;
  const status = v['status'];
  // A cloned voice still training cannot speak yet; premade ones have no status to wait for.
  if (typeof status === 'string' && status !== '' && status.toUpperCase() !== 'READY') return null;
  const name = typeof v['name'] === 'string' && v['name'].trim() !== '' ? v['name'].trim() : id;
  const languages = Array.isArray(v['languages']) ? v['languages'].filter((l): l is string => typeof l === 'string' && l !== '') : [];
  const sample = v['sample_clip'];
  return {
    id,
    name,
    description: typeof v['description'] === 'string' ? v['description'] : '',
    languages,
    sampleUrl: typeof sample === 'string' && /^https?:\/\//i.test(sample) ? sample : null,
    premade: typeof v['is_premade'] === 'boolean' ? v['is_premade'] : premadeList,
  };
}

/** A voice-list answer (`data` may be null: no voices). Unusable entries are dropped, not fatal. */
export function parseVoiceList(json: unknown, premadeList: boolean): Voice[] {
  if (!isRecord(json) || !('data' in json)) return throwBad('a voice list without data');
  const data = json['data'];
  if (data === null) return [];
  if (!Array.isArray(data)) return throwBad('a voice list whose data is not a list');
  return data.map((v) => voiceOf(v, premadeList)).filter((v): v is Voice => v !== null);
}

/**
 * A TTS refusal in words about what was refused. About the voice (a 404, or a 400 whose problem
 * names voice_profile_id): the voice list said it existed, so it was withdrawn since, and people
 * are told to pick another (UNKNOWN_VOICE), not that a video got lost. Any other 400 is about
 * the text (API_BAD_REQUEST, reason SPEECH, with the service's words). null: not a refusal.
 */
export function speechRefusal(err: unknown, voiceId: string): AvatarError | null {
  if (!(err instanceof AvatarError)) return null;
  const aboutVoice = err.code === 'API_NOT_FOUND' || (err.code === 'API_BAD_REQUEST' && (err.detail ?? '').includes('voice_profile_id'));
  if (!aboutVoice) {
    // Any other refusal is about the text: people read the service's own reason, not "these files".
    if (err.code !== 'API_BAD_REQUEST') return null;
    const said = (err.detail ?? '')
      .replace(/^\d{3}\s*/, '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200);
    return new AvatarError('API_BAD_REQUEST', err.message, {
      status: err.status,
      detail: err.detail,
      reason: 'SPEECH',
      ...(said === '' ? {} : { facts: { said } }),
      cause: err,
    });
  }
  return new AvatarError('UNKNOWN_VOICE', `The avatar service does not know the voice "${voiceId}".`, {
    status: err.status,
    detail: err.detail,
    facts: { voice: voiceId },
    cause: err,
  });
}
