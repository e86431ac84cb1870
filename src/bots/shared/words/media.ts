/**
 * Sentences for a refused file, from what the core found (kind, reason, facts). Each names the
 * file and the problem, and says what to do.
 */
import type { ErrorFacts, MediaKind, MediaReason } from '../../../core/errors.js';
import { formatBytes, formatSeconds } from './bytes.js';
import { PLAIN_STYLE, type WordStyle } from './style.js';

const MEDIA_REASONS: ReadonlySet<string> = new Set<MediaReason>([
  'EMPTY',
  'NOT_IMAGE',
  'NOT_AUDIO',
  'WRONG_KIND',
  'UNSUPPORTED_FORMAT',
  'TRUNCATED',
  'CORRUPT',
  'TOO_LARGE',
  'TOO_MANY_PIXELS',
  'TOO_SMALL',
  'TOO_LONG',
  'TOO_SHORT',
  'SILENT',
]);

export function isMediaReason(reason: string | null | undefined): reason is MediaReason {
  return typeof reason === 'string' && MEDIA_REASONS.has(reason);
}

export interface MediaRefusal {
  kind: MediaKind;
  reason: MediaReason;
  facts?: ErrorFacts | undefined;
}

const SEND_JPEG = 'Please send a JPEG or PNG photo.';

const num = (facts: ErrorFacts, key: string): number | undefined => {
  const v = facts[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};
const str = (facts: ErrorFacts, key: string): string | undefined => {
  const v = facts[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

const swapped = (style: WordStyle): string => `Did you swap the picture and the ${style.voice}?`;

function megapixels(pixels: number): string {
  return `${Math.round(pixels / 1_000_000)} megapixels`;
}

/** "The image is 21.5 MB; the limit is 20 MB." (or "over the limit" when both would read the same). */
function tooLarge(label: string, facts: ErrorFacts): string {
  const limit = num(facts, 'limit');
  const found = num(facts, 'found');
  if (limit === undefined) return `${label} is too large.`;
  if (found === undefined || formatBytes(found) === formatBytes(limit)) return `${label} is over the limit of ${formatBytes(limit)}.`;
  return `${label} is ${formatBytes(found)}; the limit is ${formatBytes(limit)}.`;
}

function imageSentence(reason: MediaReason, facts: ErrorFacts, style: WordStyle): string {
  const looks = str(facts, 'looks');
  switch (reason) {
    case 'EMPTY':
      return 'The image is empty (0 bytes).';
    case 'TOO_LARGE':
      return tooLarge('The image', facts);
    case 'WRONG_KIND':
      return `The image is not an image: it looks like ${looks ?? 'a sound or video file'}. ${swapped(style)}`;
    case 'UNSUPPORTED_FORMAT': {
      const format = str(facts, 'format');
      if (format === 'SVG') return `The image is an SVG drawing, which is not accepted. ${SEND_JPEG}`;
      if (format === 'HEIC') {
        return `The image is a HEIC photo, which cannot be read here. ${SEND_JPEG} (Most phones can share a photo as JPEG.)`;
      }
      return `The image is ${looks ?? 'in a format'} that cannot be read here. ${SEND_JPEG}`;
    }
    case 'TOO_MANY_PIXELS': {
      const limit = num(facts, 'limit');
      const width = num(facts, 'width');
      const height = num(facts, 'height');
      const tail = limit === undefined ? '.' : `; the limit is ${megapixels(limit)}.`;
      if (width === undefined || height === undefined) return `The image has too many pixels${tail}`;
      return `The image is ${width} × ${height} pixels (${megapixels(width * height)})${tail}`;
    }
    case 'TOO_SMALL': {
      const min = num(facts, 'min');
      const width = num(facts, 'width');
      const height = num(facts, 'height');
      const least = min === undefined ? '' : `; it must be at least ${min} pixels on its shortest side`;
      const found = width === undefined || height === undefined ? 'too small to hold a face' : `only ${width} × ${height} pixels`;
      return `The image is ${found}${least}. Please send a larger photo of the face.`;
    }
    case 'TRUNCATED':
      return 'The image is cut short: only part of the file arrived. Please send it again.';
    case 'CORRUPT':
      return `The image is damaged and cannot be read. ${SEND_JPEG}`;
    default: {
      // NOT_IMAGE, and reasons that belong to audio.
      const what = looks === undefined ? 'its contents match no known picture format' : `it looks like ${looks}`;
      return `The image is not a picture: ${what}. ${SEND_JPEG}`;
    }
  }
}

const CORRUPT_AUDIO: Record<string, string> = {
  NO_SAMPLES: 'The audio file is damaged: no sound could be decoded from it.',
  UNREADABLE: 'The audio file could not be read.',
  TIMEOUT: 'The audio file took too long to read; it may be damaged.',
  DECODE_ERRORS: 'The audio file is damaged: parts of it cannot be decoded. Please record it again.',
  CONVERT: 'The audio file could not be converted; it may be damaged.',
  TOO_DEMANDING: 'The audio file needs more memory or time to read than a voice note should; it may be damaged. Please record it again.',
};

function audioSentence(reason: MediaReason, facts: ErrorFacts, style: WordStyle): string {
  const looks = str(facts, 'looks');
  const voice = `The ${style.voice}`;
  switch (reason) {
    case 'EMPTY':
      return 'The audio file is empty (0 bytes).';
    case 'TOO_LARGE':
      return tooLarge('The audio file', facts);
    case 'WRONG_KIND':
      return `The audio file is not audio: it looks like ${looks ?? 'an image'}. ${swapped(style)}`;
    case 'TRUNCATED':
      return `${voice} is cut short: only part of the file arrived. Please send it again.`;
    case 'CORRUPT':
      return CORRUPT_AUDIO[str(facts, 'why') ?? ''] ?? 'The audio file is damaged and cannot be read.';
    case 'TOO_LONG': {
      const seconds = num(facts, 'seconds');
      const max = num(facts, 'max');
      const limit = max === undefined ? '' : `; the limit is ${formatSeconds(max)}`;
      if (seconds === undefined) return `${voice} is too long${limit}.`;
      return `${voice} is ${num(facts, 'atLeast') === 1 ? 'over ' : ''}${formatSeconds(seconds)} long${limit}.`;
    }
    case 'TOO_SHORT': {
      const seconds = num(facts, 'seconds');
      const min = num(facts, 'min');
      const least = min === undefined ? '' : `; it must be at least ${formatSeconds(min)}`;
      return seconds === undefined ? `${voice} is too short${least}.` : `${voice} is only ${formatSeconds(seconds)} long${least}.`;
    }
    case 'SILENT':
      return `${voice} is silent, so the face would not speak. Please record it again closer to the microphone.`;
    default: {
      // NOT_AUDIO, and reasons that belong to images.
      if (str(facts, 'why') === 'NO_SOUND_TRACK') return 'The audio file has no sound track: it is a video without sound.';
      const what = looks === undefined ? 'its contents match no known sound format' : `it looks like ${looks}`;
      return `The audio file is not audio: ${what}.`;
    }
  }
}

/** The sentence for a refused file. */
export function mediaSentence(refusal: MediaRefusal, style: WordStyle = PLAIN_STYLE): string {
  const facts = refusal.facts ?? {};
  return refusal.kind === 'image' ? imageSentence(refusal.reason, facts, style) : audioSentence(refusal.reason, facts, style);
}
