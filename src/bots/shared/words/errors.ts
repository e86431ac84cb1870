/**
 * One sentence per error, for every adapter: from the code, the reason and the facts the core
 * gives (never from its log message, except the avatar service's own reason for a failed
 * render). Secrets and internal detail never appear. Each adapter supplies its markup and nouns.
 */
import { isErrorCode, traitsOf } from '../../../core/error-catalogue.js';
import type { ErrorCode, ErrorFacts, MediaKind } from '../../../core/errors.js';
import { formatSeconds } from './bytes.js';
import { isMediaReason, mediaSentence } from './media.js';
import { PLAIN_STYLE, type WordStyle } from './style.js';

/** What the words need of an error: an AvatarError, a MediaError, an ErrorUpdate or a stored job's code. */
export interface ErrorLike {
  code: string;
  message?: string | null;
  reason?: string | null | undefined;
  facts?: ErrorFacts | undefined;
  /** MediaError's file kind. */
  kind?: MediaKind | undefined;
  /** ErrorUpdate's name for the same. */
  mediaKind?: MediaKind | undefined;
}

const num = (facts: ErrorFacts | undefined, key: string): number | undefined => {
  const v = facts?.[key];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
};

/** Messages the core writes when the service gave no reason: not worth repeating to people. */
const NO_SERVICE_REASON = new Set(['', 'The avatar service could not render the video.', 'The job ended without a video.']);
const SERVICE_REASON_MAX = 200;

/** The service's own reason for a failed render, cut short and without markup-breaking quotes. */
function serviceReason(message: string | null | undefined): string | null {
  const text = (message ?? '').replace(/\s+/g, ' ').trim();
  if (NO_SERVICE_REASON.has(text)) return null;
  const short = text.length > SERVICE_REASON_MAX ? `${text.slice(0, SERVICE_REASON_MAX - 1)}…` : text;
  return short.replace(/[`"“”]/g, "'");
}

function quotaWords(e: ErrorLike, style: WordStyle): string {
  const limit = num(e.facts, 'limit');
  const videos = (n: number): string => `${n} video${n === 1 ? '' : 's'}`;
  const resets = 'Try again tomorrow (the count resets at midnight UTC).';
  if (limit !== undefined && e.reason === 'PERSON') return `You have used your ${videos(limit)} for today. ${resets}`;
  if (limit !== undefined && e.reason === 'GROUP') return `This ${style.group} has used its ${videos(limit)} for today. ${resets}`;
  return 'The daily limit is used up. Try again tomorrow.';
}

type Words = (e: ErrorLike, style: WordStyle) => string;

/** Every code has words: `satisfies` makes a new ErrorCode without them a type error. */
const WORDS = {
  INVALID_MEDIA: (e, s) => {
    const kind = e.kind ?? e.mediaKind;
    if (kind !== undefined && isMediaReason(e.reason)) return mediaSentence({ kind, reason: e.reason, facts: e.facts }, s);
    return `One of the files could not be used. Try another image or ${s.voice}.`;
  },
  DOWNLOAD_FAILED: (e, s) => {
    if (s.platform === null) return 'The upload could not be read. Please try again.';
    if (e.reason === 'EXTERNAL' || e.reason === 'FOREIGN_HOST') {
      return `I could not fetch that file: it is not stored in ${s.platform}. Upload it to ${s.platform} directly and try again.`;
    }
    return `I could not download your file from ${s.platform}. Upload it again and retry.`;
  },
  NO_FACE: (_e, s) => `You have no saved face. ${s.faceHowTo}`,
  CONSENT_NEEDED: () =>
    'Before I make a video of a face, please confirm that it is yours or that you have permission to use it. Nothing was sent yet.',
  INVALID_TEXT: (e) => {
    const chars = num(e.facts, 'chars');
    const limit = num(e.facts, 'limit');
    if (e.reason === 'TOO_LONG' && chars !== undefined && limit !== undefined) {
      return `That text is ${chars.toLocaleString('en-US')} characters long; I can speak up to ${limit.toLocaleString('en-US')}. Shorten it and try again.`;
    }
    if (e.reason === 'TOO_LONG') return 'That text is too long to speak. Shorten it and try again.';
    if (e.reason === 'SPEECH_TOO_LONG') {
      const seconds = num(e.facts, 'seconds');
      const max = num(e.facts, 'max');
      const lasts = seconds === undefined ? 'Spoken, that text is too long' : `Spoken, that text lasts ${formatSeconds(seconds)}`;
      return `${lasts}; a video can be up to ${max === undefined ? 'the limit' : formatSeconds(max)}. Shorten the text and try again.`;
    }
    return 'There is nothing to say: the text is empty once mentions and formatting are removed. Type a few words.';
  },
  UNKNOWN_VOICE: (e, s) => {
    if (e.reason === 'NO_VOICES')
      return 'The avatar service lists no voices right now, so typed text cannot be spoken. Send a voice note instead.';
    const voice = e.facts?.['voice'];
    const named = typeof voice === 'string' && voice !== '' ? ` ${s.code(voice.slice(0, 80))}` : '';
    if (e.reason === 'WITHDRAWN') return `Your saved voice${named} is no longer offered. ${s.voiceHowTo}`;
    return `I do not know the voice${named} (it may have been withdrawn). ${s.voiceHowTo}`;
  },
  API_AUTH: (_e, s) =>
    s.admin === null
      ? `The avatar service refused the API key. Check ${s.code('AVATAR_API_KEY')} in .env.`
      : `The avatar service refused my credentials. Ask the ${s.admin} to check ${s.code('AVATAR_API_KEY')}.`,
  API_CREDITS: (_e, s) =>
    s.admin === null
      ? 'The avatar service account is out of credits.'
      : `The avatar service is out of credits. Please tell the ${s.admin}.`,
  API_RATE_LIMIT: () => 'The avatar service is rate limiting requests. Try again in a minute.',
  API_NOT_FOUND: () => 'The avatar service lost track of this video. Press Retry.',
  API_BAD_REQUEST: (e, s) => {
    if (e.reason === 'SPEECH') {
      const said = e.facts?.['said'];
      const why = typeof said === 'string' && said !== '' ? ` It said: ${s.code(said.replace(/[`"“”]/g, "'"))}.` : '';
      return `The avatar service would not speak that text.${why} Try other words or another voice.`;
    }
    return `The avatar service refused these files. Try a clearer face photo or another ${s.voice}.`;
  },
  API_UNAVAILABLE: (e) => {
    // A 5xx (fact `status`, kept with a stored job where the reason is not) means the service was
    // reached and failed: saying "cannot be reached" would send an admin to check the network.
    const status = num(e.facts, 'status');
    if (e.reason === 'SERVICE_ERROR' || (status !== undefined && status >= 500)) {
      const code = status === undefined ? '' : ` (HTTP ${status})`;
      return `The avatar service had an error${code}. Try again in a few minutes.`;
    }
    return 'The avatar service cannot be reached right now. Try again in a few minutes.';
  },
  API_BAD_RESPONSE: () => 'The avatar service sent an answer that made no sense. Try again in a few minutes.',
  NO_TASK_ID: () => 'The avatar service did not start the video. Try again in a few minutes.',
  SUBMIT_INTERRUPTED: () => 'I restarted while sending your video and cannot tell whether it arrived. Press Retry to send it again.',
  JOB_FAILED: (e, s) => {
    const why = serviceReason(e.message);
    const said = why === null ? '' : ` The avatar service said: ${s.code(why)}.`;
    return `The video failed to render.${said} Press Retry, or try another face photo or ${s.voice}.`;
  },
  JOB_TIMEOUT: (e, s) => {
    const seconds = num(e.facts, 'seconds');
    const after = seconds === undefined ? '' : ` after ${formatSeconds(seconds)}`;
    return `The video timed out${after}. Press Retry, or use a shorter ${s.voice}.`;
  },
  JOB_CANCELED: () => 'Canceled.',
  QUEUE_FULL: (e) => {
    const max = num(e.facts, 'queueMax');
    return `Too many videos are waiting${max === undefined ? '' : ` (${max})`}. Try again in a few minutes.`;
  },
  QUOTA_EXCEEDED: quotaWords,
  NOT_ALLOWED: () => 'You are not allowed to do that here.',
  NOT_FOUND: () => 'I cannot find that video any more.',
  MEDIA_GONE: () => 'The files of that video are no longer kept. Send them again to start a new one.',
  INTERNAL: (_e, s) =>
    s.admin === null
      ? 'Something went wrong on my side. Try again.'
      : `Something went wrong on my side. Try again; if it keeps failing, tell the ${s.admin}.`,
} satisfies Record<ErrorCode, Words>;

/** The sentence for an error; an unknown code (written by a newer process) reads as INTERNAL. */
export function errorSentence(e: ErrorLike, style: WordStyle = PLAIN_STYLE): string {
  const words: Words = isErrorCode(e.code) ? WORDS[e.code] : WORDS.INTERNAL;
  return words(e, style);
}

/** Whether a Retry button goes with this error (the catalogue's rule, the same on every adapter). */
export function offersRetry(code: string): boolean {
  return traitsOf(code).retryable;
}
