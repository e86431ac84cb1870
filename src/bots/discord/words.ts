/**
 * Everything the adapter says to people. The core never formats platform messages: codes
 * become short, actionable sentences here. Secrets and internal detail never appear.
 */
import type { ErrorCode } from '../../core/errors.js';
import type { ErrorUpdate, ProgressUpdate, QuotaView, ResultUpdate } from '../../core/ports.js';
import { quotaSentence } from '../shared/quota-words.js';

const CODE_WORDS: Record<ErrorCode, string> = {
  INVALID_MEDIA: 'That file does not work. Try another one.',
  DOWNLOAD_FAILED: 'I could not download your file from Discord. Upload it again and retry.',
  NO_FACE: 'You have no saved face. Add an `image` to `/avatar`, or save one with `/avatar-face save`.',
  API_AUTH: 'The avatar service refused my credentials. Please tell the bot admin.',
  API_CREDITS: 'The avatar service is out of credits. Please tell the bot admin.',
  API_RATE_LIMIT: 'The avatar service is rate limiting me. Try again in a minute.',
  API_NOT_FOUND: 'The avatar service lost track of this video. Press Retry.',
  API_BAD_REQUEST: 'The avatar service refused these files. Try a clearer face photo or another voice note.',
  API_UNAVAILABLE: 'The avatar service is unreachable right now. Try again later.',
  API_BAD_RESPONSE: 'The avatar service answered strangely. Try again later.',
  NO_TASK_ID: 'The avatar service did not accept the job. Try again later.',
  SUBMIT_INTERRUPTED: 'I restarted while sending your video. Press Retry.',
  JOB_FAILED: 'The video failed to render. Press Retry, or try another face photo.',
  JOB_TIMEOUT: 'The video timed out. Press Retry, or use a shorter voice note.',
  JOB_CANCELED: 'Canceled.',
  QUEUE_FULL: 'Too many videos are waiting. Try again in a few minutes.',
  QUOTA_EXCEEDED: 'The daily limit is used up. Try again tomorrow.',
  NOT_ALLOWED: 'You are not allowed to do that here.',
  NOT_FOUND: 'I cannot find that video job any more.',
  MEDIA_GONE: 'The files of that job are no longer kept. Start a new one.',
  INTERNAL: 'Something went wrong on my side. Try again.',
};

/** Codes where pressing Retry can help. */
export const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'JOB_FAILED',
  'JOB_TIMEOUT',
  'API_UNAVAILABLE',
  'API_RATE_LIMIT',
  'API_NOT_FOUND',
  'API_BAD_RESPONSE',
  'NO_TASK_ID',
  'SUBMIT_INTERRUPTED',
  'INTERNAL',
]);

/** One short sentence for an error; media errors carry a message already written for people. */
export function errorWords(error: Pick<ErrorUpdate, 'code' | 'message'>): string {
  if (error.code === 'INVALID_MEDIA' && error.message.trim() !== '') return `${error.message} Try another file.`;
  return CODE_WORDS[error.code] ?? CODE_WORDS.INTERNAL;
}

/** `m:ss` for a duration in ms. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function progressWords(update: ProgressUpdate): string {
  if (update.state === 'queued') {
    return update.queuePosition !== undefined
      ? `⏳ Queued: you are number ${update.queuePosition} in line.`
      : '⏳ Queued: starting soon.';
  }
  const elapsed = `🎬 Rendering your talking avatar… ${clock(update.elapsedMs)} elapsed`;
  if (update.etaMs === undefined) return `${elapsed}.`;
  if (update.etaMs <= 0) return `${elapsed}, taking a little longer than expected.`;
  return `${elapsed}, about ${clock(update.etaMs)} left.`;
}

export function resultWords(result: ResultUpdate, uploaded: boolean): string {
  const lines = [`✅ Your talking avatar is ready: ${result.fileUrl}`];
  if (!uploaded) lines.push('The video is too large to upload here; use the link.');
  if (result.preview) lines.push('_Preview mode: a still image with your voice (no lip sync)._');
  return lines.join('\n');
}

export const WORDS = {
  working: '⏳ Got it, preparing your video…',
  noAudio: 'I found no voice message or audio file there. Record a voice message or attach an audio file.',
  notAudio: 'That attachment is not really audio. Send a voice message or an audio file.',
  noFace:
    'You have no saved face yet. Use `/avatar` with an `image`, save one with `/avatar-face save`, or reply to the voice note with an image.',
  mentionHelp: 'Reply to a voice message and mention me (optionally with a face image) to make it talk.',
  needsMessageContent:
    'I cannot read voice notes from mentions here. Right-click the voice message (long-press on mobile) → **Apps** → **Make it talk**.',
  onlyRequester: 'Only the person who asked for this video can do that.',
  faceSaved: '✅ Face saved. `/avatar` now uses it when you leave out the image.',
  faceCleared: 'Your saved face is cleared.',
  noFaceToClear: 'You had no saved face.',
  noFaceToShow: 'You have no saved face. Save one with `/avatar-face save`.',
  faceShown: 'This is your saved face.',
  retrying: '🔁 Retrying…',
  internal: 'Something went wrong on my side. Try again.',
} as const;

/** The person's remaining daily quota on Discord, or null when no quota is on. */
export function quotaWords(q: QuotaView, now = Date.now()): string | null {
  return quotaSentence(q, { bold: (t) => `**${t}**`, group: 'server' }, now);
}

/** True for the words of a final answer (the result or an error), as opposed to progress. */
export function isFinalWords(content: string): boolean {
  return content.startsWith('✅') || content.startsWith('⚠️');
}
