/**
 * The one error tree of the bot. Every failure a person can meet carries a stable `code`, a
 * `reason` inside it where one helps, and the `facts` a sentence needs; the adapters' shared
 * words turn those into sentences (the core writes none), logs keep `message` and `detail`.
 * What each code means for Retry, HTTP and logs is in `error-catalogue.ts`.
 */
export type ErrorCode =
  | 'INVALID_MEDIA' // a file is not what it should be (not an image/audio, empty, truncated, too big, too long)
  | 'DOWNLOAD_FAILED' // an attachment could not be fetched from the platform
  | 'NO_FACE' // no image given and no saved face
  | 'CONSENT_NEEDED' // FACE_CONSENT asks the person to confirm they may use the face, and they have not yet
  | 'INVALID_TEXT' // typed text to speak is empty (reason EMPTY), too long (TOO_LONG, facts `chars` and `limit`) or lasts too long spoken (SPEECH_TOO_LONG)
  | 'UNKNOWN_VOICE' // a voice id the service does not list (fact `voice`), or (reason NO_VOICES) no voice at all
  | 'API_AUTH' // 401/403 from the avatar service: bad or missing key
  | 'API_CREDITS' // 402: out of credits
  | 'API_RATE_LIMIT' // 429 after retries
  | 'API_NOT_FOUND' // 404: unknown task
  | 'API_BAD_REQUEST' // 4xx the service says is our fault (e.g. media it refuses)
  | 'API_UNAVAILABLE' // network errors, timeouts, and (reason SERVICE_ERROR, fact `status`) 5xx, after retries
  | 'API_BAD_RESPONSE' // a 2xx whose body is not what the API promises: malformed JSON, or (reason BAD_STATUS_ANSWER) a status answer breaking the contract
  | 'NO_TASK_ID' // a submit answer without a usable data.task_id
  | 'SUBMIT_INTERRUPTED' // the process stopped while a submit was in flight: it may or may not have been accepted
  | 'JOB_FAILED' // the service says FAILED
  | 'JOB_TIMEOUT' // the service says TIMED_OUT, or our own deadline passed
  | 'JOB_CANCELED' // canceled by the requester or the service
  | 'QUEUE_FULL' // too many waiting jobs
  | 'QUOTA_EXCEEDED' // a daily quota is used up
  | 'NOT_ALLOWED' // channel or role not allowed, or not the requester
  | 'NOT_FOUND' // no such job
  | 'MEDIA_GONE' // a retry asked for files no longer kept
  | 'INTERNAL'; // a bug: the detail is in the logs

/** The original workflow node's wording, kept so people who used it recognise the errors. */
export const NO_TASK_ID_MESSAGE = 'Failed to get valid task_id from server.';
export const REQUEST_ERROR_PREFIX = 'Error generate a talking avatar video request: ';

export interface AvatarErrorOptions {
  /** HTTP status from the avatar service, when there was one. */
  status?: number;
  /** Milliseconds the service asked us to wait (Retry-After). */
  retryAfterMs?: number;
  /** Extra machine-readable detail (for logs only: never shown to users). */
  detail?: string;
  /** A more specific reason inside the code, e.g. media `EMPTY`, `TOO_LONG`. */
  reason?: string;
  /**
   * The numbers and names a sentence for people needs (a limit, a size found), so the words are
   * written once, by the adapters' shared layer, from the code, the reason and these facts.
   */
  facts?: ErrorFacts;
  cause?: unknown;
}

export type ErrorFacts = Readonly<Record<string, string | number>>;

export class AvatarError extends Error {
  readonly code: ErrorCode;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly detail: string | undefined;
  readonly reason: string | undefined;
  readonly facts: ErrorFacts;

  constructor(code: ErrorCode, message: string, options: AvatarErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AvatarError';
    this.code = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.detail = options.detail;
    this.reason = options.reason;
    this.facts = options.facts ?? {};
  }
}

/** Which media file a media error is about. */
export type MediaKind = 'image' | 'audio';

/**
 * Reasons a file is refused. Each names the problem so a person can fix it.
 * `WRONG_KIND` covers "an image passed as audio" and the reverse.
 */
export type MediaReason =
  | 'EMPTY'
  | 'NOT_IMAGE'
  | 'NOT_AUDIO'
  | 'WRONG_KIND'
  | 'UNSUPPORTED_FORMAT'
  | 'TRUNCATED'
  | 'CORRUPT'
  | 'TOO_LARGE'
  | 'TOO_MANY_PIXELS'
  | 'TOO_SMALL'
  | 'TOO_LONG'
  | 'TOO_SHORT'
  | 'SILENT';

/**
 * Facts a media refusal may carry (all optional; the words fall back to plainer sentences):
 * `found`/`limit` in bytes (TOO_LARGE) or pixels (TOO_MANY_PIXELS, with `width`, `height`),
 * `width`, `height` with `min`, the shortest side accepted in pixels (TOO_SMALL),
 * `seconds` with `max` (TOO_LONG; `atLeast: 1` when `seconds` is only a lower bound) or `min`
 * (TOO_SHORT), `looks` (what the bytes look like, e.g. "a PNG image"), `format` (SVG, HEIC),
 * and `why` (a finer cause, e.g. NO_SOUND_TRACK, TIMEOUT).
 */
export type MediaFacts = ErrorFacts;

export class MediaError extends AvatarError {
  readonly kind: MediaKind;
  override readonly reason: MediaReason;

  /** `message` is for logs; people read the sentence the adapters build from kind, reason and facts. */
  constructor(kind: MediaKind, reason: MediaReason, message: string, options: { facts?: MediaFacts; cause?: unknown } = {}) {
    super('INVALID_MEDIA', message, { reason, ...options });
    this.name = 'MediaError';
    this.kind = kind;
    this.reason = reason;
  }
}

/** Normalises anything thrown into an AvatarError (unknown errors become INTERNAL). */
export function toAvatarError(err: unknown): AvatarError {
  if (err instanceof AvatarError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new AvatarError('INTERNAL', message, { cause: err });
}
