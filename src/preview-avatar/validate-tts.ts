import type { ProblemDetail } from './problem.js';
import { NOT_AN_OBJECT, objectBody } from './validate-object.js';

/** A valid TTS request (TTSApiRequestBody in the service's OpenAPI description). */
interface TtsBody {
  text: string;
  voiceProfileId: string;
  returnType: 'b64_audio_str' | 'file_url';
  chineseLanguage: 'mandarin' | 'yue' | undefined;
}

export type TtsValidation = { ok: true; value: TtsBody } | { ok: false; detail: string; errors: ProblemDetail[] };

const ALLOWED = new Set(['text', 'voice_profile_id', 'return_type', 'chinese_language', 'opts']);
const RETURN_TYPES = new Set(['b64_audio_str', 'file_url']);
const CHINESE = new Set(['mandarin', 'yue']);
/** The schema's limits, in characters (code points), as JSON Schema counts them. */
const MAX_TEXT = 10_000;

/** TTSParams: both optional numbers between 0 and 1 (accepted and ignored: eSpeak has no such knobs). */
function checkOpts(opts: unknown, errors: ProblemDetail[]): void {
  if (opts === undefined || opts === null) return;
  if (typeof opts !== 'object' || Array.isArray(opts)) {
    errors.push({ location: 'body.opts', message: 'expected object' });
    return;
  }
  for (const [key, value] of Object.entries(opts)) {
    const location = `body.opts.${key}`;
    if (key !== 'temperature' && key !== 'fragment_interval') errors.push({ location, message: 'unexpected property' });
    else if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      errors.push({ location, message: 'expected a number from 0 to 1', value });
    }
  }
}

/** Validates a parsed TTS body like the real service; every problem is named with its location. */
export function validateTts(body: unknown): TtsValidation {
  const checked = objectBody(body, ALLOWED);
  if (checked === null) return { ...NOT_AN_OBJECT, errors: [...NOT_AN_OBJECT.errors] };
  const { record, errors } = checked;
  const { text, voice_profile_id: voice, return_type: returnType, chinese_language: chinese } = record;
  if (typeof text !== 'string') {
    errors.push({
      location: 'body.text',
      message: text === undefined ? 'expected required property text to be present' : 'expected string',
    });
  } else {
    const chars = [...text].length;
    if (chars < 1) errors.push({ location: 'body.text', message: 'expected length >= 1', value: text });
    if (chars > MAX_TEXT) errors.push({ location: 'body.text', message: `expected length <= ${MAX_TEXT}`, value: chars });
  }
  if (typeof voice !== 'string' || voice.trim() === '') {
    errors.push({
      location: 'body.voice_profile_id',
      message: voice === undefined ? 'expected required property voice_profile_id to be present' : 'expected a non-empty string',
    });
  }
  if (typeof returnType !== 'string' || !RETURN_TYPES.has(returnType)) {
    errors.push({ location: 'body.return_type', message: "expected 'b64_audio_str' or 'file_url'", value: returnType });
  }
  if (chinese !== undefined && (typeof chinese !== 'string' || !CHINESE.has(chinese))) {
    errors.push({ location: 'body.chinese_language', message: "expected 'mandarin' or 'yue'", value: chinese });
  }
  checkOpts(record['opts'], errors);
  if (errors.length > 0) return { ok: false, detail: 'validation failed', errors };
  return {
    ok: true,
    value: {
      text: text as string,
      voiceProfileId: voice as string,
      returnType: returnType as TtsBody['returnType'],
      chineseLanguage: chinese as TtsBody['chineseLanguage'],
    },
  };
}
