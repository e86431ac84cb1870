import type { ErrorCode } from './errors.js';

/**
 * What each error code means outside its words, decided once for every adapter:
 * - `retryable`: a Retry button is offered. The rule: Retry resends the files the job kept, so
 *   it is offered only where sending the very same request again, with nobody changing a key,
 *   an account, a setting, a permission or a file, may succeed: passing trouble at the avatar
 *   service (busy, unreachable, a strange answer, a lost or failed or slow render) or on our
 *   side (a restart mid-send, a bug), and a full queue. Not for refusals only a person can fix
 *   (bad key, no credits, not allowed, daily quota, unusable or refused files, files gone), and
 *   not for a cancel (the person chose it).
 * - `httpStatus`: the status of a refusal with this code over HTTP (the playground's API).
 * - `severity`: how loud a log line about it should be: `info` for refusals that are part of
 *   normal use, `warn` for passing trouble, `error` for what an admin or a developer must fix.
 */
export interface ErrorTraits {
  readonly retryable: boolean;
  readonly httpStatus: number;
  readonly severity: 'info' | 'warn' | 'error';
}

const t = (retryable: boolean, httpStatus: number, severity: ErrorTraits['severity']): ErrorTraits => ({
  retryable,
  httpStatus,
  severity,
});

/** Every code has an entry: `satisfies` makes a new ErrorCode without one a type error. */
export const ERROR_CATALOGUE = {
  INVALID_MEDIA: t(false, 400, 'info'),
  DOWNLOAD_FAILED: t(false, 400, 'warn'),
  NO_FACE: t(false, 400, 'info'),
  CONSENT_NEEDED: t(false, 403, 'info'),
  INVALID_TEXT: t(false, 400, 'info'),
  UNKNOWN_VOICE: t(false, 400, 'info'),
  API_AUTH: t(false, 500, 'error'),
  API_CREDITS: t(false, 500, 'error'),
  API_RATE_LIMIT: t(true, 429, 'warn'),
  API_NOT_FOUND: t(true, 500, 'warn'),
  API_BAD_REQUEST: t(false, 500, 'warn'),
  API_UNAVAILABLE: t(true, 503, 'warn'),
  API_BAD_RESPONSE: t(true, 500, 'warn'),
  NO_TASK_ID: t(true, 500, 'warn'),
  SUBMIT_INTERRUPTED: t(true, 500, 'warn'),
  JOB_FAILED: t(true, 500, 'warn'),
  JOB_TIMEOUT: t(true, 500, 'warn'),
  JOB_CANCELED: t(false, 500, 'info'),
  QUEUE_FULL: t(true, 503, 'info'),
  QUOTA_EXCEEDED: t(false, 429, 'info'),
  NOT_ALLOWED: t(false, 403, 'info'),
  NOT_FOUND: t(false, 404, 'info'),
  MEDIA_GONE: t(false, 410, 'info'),
  INTERNAL: t(true, 500, 'error'),
} as const satisfies Record<ErrorCode, ErrorTraits>;

/** True when `code` is one of the core's error codes (codes arrive as strings from storage and JSON). */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

/** The traits of a code; an unknown one (a newer process wrote it) is treated as INTERNAL. */
export function traitsOf(code: string): ErrorTraits {
  return isErrorCode(code) ? ERROR_CATALOGUE[code] : ERROR_CATALOGUE.INTERNAL;
}
