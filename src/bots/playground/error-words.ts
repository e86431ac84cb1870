import type { ErrorCode } from '../../core/errors.js';

/**
 * Short, actionable words for each error code, as the page shows them. Media errors are the
 * exception: their message is already written for people by the core, and names the file.
 */
const WORDS: Record<ErrorCode, string> = {
  INVALID_MEDIA: 'One of the files could not be used. Try another image or voice note.',
  DOWNLOAD_FAILED: 'The upload could not be read. Please try again.',
  NO_FACE: 'Please choose a face image.',
  API_AUTH: 'The avatar service refused the API key. Check AVATAR_API_KEY in .env.',
  API_CREDITS: 'The avatar service account is out of credits.',
  API_RATE_LIMIT: 'The avatar service is busy right now. Try again in a minute.',
  API_NOT_FOUND: 'The avatar service lost track of this video. Please try again.',
  API_BAD_REQUEST: 'The avatar service refused these files. Try another image or voice note.',
  API_UNAVAILABLE: 'The avatar service cannot be reached right now. Try again in a few minutes.',
  API_BAD_RESPONSE: 'The avatar service sent an answer that made no sense. Try again later.',
  NO_TASK_ID: 'The avatar service did not start the video. Please try again.',
  SUBMIT_INTERRUPTED: 'The bot restarted while sending this video; it may not have started. Please retry.',
  JOB_FAILED: 'The avatar service could not make this video. Try another image or voice note.',
  JOB_TIMEOUT: 'The video took too long and was given up. Try a shorter voice note.',
  JOB_CANCELED: 'Canceled.',
  QUEUE_FULL: 'Too many videos are waiting right now. Try again in a few minutes.',
  QUOTA_EXCEEDED: 'The daily limit of videos is used up. Try again tomorrow.',
  NOT_ALLOWED: 'You are not allowed to do that.',
  NOT_FOUND: 'That video is not known here (any more).',
  MEDIA_GONE: 'The files of that video are no longer kept. Please upload them again.',
  INTERNAL: 'Something went wrong on our side. Please try again.',
};

/** True when `code` is one of the core's error codes. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(WORDS, code);
}

/**
 * The words to show for an error. `mediaMessage` is the core's people-ready message of a
 * MediaError (used only for INVALID_MEDIA; other messages are details for logs).
 */
export function errorWords(code: string, mediaMessage?: string | null): string {
  if (code === 'INVALID_MEDIA' && mediaMessage) return mediaMessage;
  return isErrorCode(code) ? WORDS[code] : WORDS.INTERNAL;
}

/** The HTTP status for a refusal with this code. */
export function httpStatusFor(code: string): number {
  switch (code) {
    case 'INVALID_MEDIA':
    case 'DOWNLOAD_FAILED':
    case 'NO_FACE':
      return 400;
    case 'NOT_ALLOWED':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'MEDIA_GONE':
      return 410;
    case 'QUOTA_EXCEEDED':
    case 'API_RATE_LIMIT':
      return 429;
    case 'QUEUE_FULL':
    case 'API_UNAVAILABLE':
      return 503;
    default:
      return 500;
  }
}
