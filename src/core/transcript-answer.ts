/**
 * Checks the service's speech-to-text answer (`POST /v1/speech/stt`), as speech-answers.ts
 * checks a TTS answer: what leaves here is what the types promise, or an API_BAD_RESPONSE.
 *
 * The spec gives `transcription` no item schema ("items: {}"), so a segment is read
 * defensively: one whose times are not finite, negative or reversed, or whose text is not a
 * string, is dropped rather than the whole answer refused. Captions are a bonus on a video
 * that exists already; one odd segment must not cost the others. The transcript `text` is
 * required (the spec marks it so): without it the answer is malformed.
 */
import { AvatarError } from './errors.js';
import type { Cue, Transcript } from './handover-ports.js';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function bad(detail: string): AvatarError {
  return new AvatarError('API_BAD_RESPONSE', `The avatar service's answer made no sense: ${detail}`, {
    detail,
    reason: 'BAD_TRANSCRIPT_ANSWER',
  });
}

/** One segment, or null when its times or text cannot be used. */
function segmentOf(v: unknown): Cue | null {
  if (!isRecord(v)) return null;
  const { start, end, text } = v;
  if (typeof start !== 'number' || typeof end !== 'number' || typeof text !== 'string') return null;
  if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end <= start) return null;
  return { start, end, text };
}

/** The transcript and its usable segments, in time order. */
export function parseTranscriptAnswer(json: unknown): Transcript & { dropped: number } {
  const data = isRecord(json) ? json['data'] : undefined;
  if (!isRecord(data)) throw bad('no data object');
  const text = data['text'];
  if (typeof text !== 'string') throw bad('a transcript without text');
  const raw = data['transcription'];
  if (raw !== null && raw !== undefined && !Array.isArray(raw)) throw bad('a transcription that is not a list');
  const list: unknown[] = Array.isArray(raw) ? raw : [];
  const segments = list.map(segmentOf).filter((s): s is Cue => s !== null);
  segments.sort((a, b) => a.start - b.start);
  return { text: text.trim(), segments, dropped: list.length - segments.length };
}
