/**
 * The one checker of the service's status answers (GenerateTalkingAvatarStatusApiResponseBody in
 * Mirako's OpenAPI description). The client runs every status body through it, so the bot's
 * engine and the CLI see the same answer, or the same API_BAD_RESPONSE, for the same body.
 */
import type { Logger } from 'pino';
import { AvatarError, REQUEST_ERROR_PREFIX } from './errors.js';
import type { StatusAnswer, TaskStatus } from './ports.js';

const TASK_STATUSES: readonly TaskStatus[] = ['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELED', 'TIMED_OUT'];

/**
 * The reason of an API_BAD_RESPONSE raised here: the body was JSON but broke the API's contract.
 * Asking again gets the same answer, so the engine ends the job instead of polling on; a body
 * that is not JSON at all (a proxy's page, a cut connection) is passing trouble and is retried.
 */
export const BAD_STATUS_ANSWER = 'BAD_STATUS_ANSWER';

export function isTaskStatus(v: unknown): v is TaskStatus {
  return typeof v === 'string' && (TASK_STATUSES as readonly string[]).includes(v);
}

/**
 * True for an absolute http: or https: URL: the only kind of video link anyone downloads or shows.
 * The text itself must start with the scheme and `//`: the URL parser would repair `https:/x`,
 * but the adapters show and link the text as the service sent it.
 */
export function isHttpUrl(v: unknown): v is string {
  if (typeof v !== 'string' || !/^https?:\/\/[^\s]+$/i.test(v)) return false;
  try {
    const url = new URL(v);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function badAnswer(detail: string, askedTaskId: string): AvatarError {
  return new AvatarError('API_BAD_RESPONSE', REQUEST_ERROR_PREFIX + detail, {
    reason: BAD_STATUS_ANSWER,
    detail: `task ${askedTaskId}: ${detail}`,
  });
}

/**
 * Checks one status body against the task that was asked about. Throws API_BAD_RESPONSE (reason
 * BAD_STATUS_ANSWER) when the body has no valid `data.status`, names another task (or none: the
 * schema requires `task_id`, and an answer that does not say which task it is about cannot be
 * trusted with this one's video), or says COMPLETED without an absolute http(s) `file_url`. An
 * `output_duration` that is not a finite number >= 0 is dropped with a warning: the video is fine.
 * Values from the body are never copied into the error or the log (a file URL may be signed).
 */
export function parseStatusAnswer(json: unknown, askedTaskId: string, logger?: Logger): StatusAnswer {
  const data = (json as { data?: unknown } | null)?.data;
  if (data === undefined || data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw badAnswer('the status answer has no data object', askedTaskId);
  }
  const d = data as Record<string, unknown>;
  if (!isTaskStatus(d.status)) throw badAnswer('the status answer has no valid data.status', askedTaskId);
  if (typeof d.task_id !== 'string' || d.task_id === '') throw badAnswer('the status answer has no data.task_id', askedTaskId);
  if (d.task_id !== askedTaskId) throw badAnswer('the status answer is about another task', askedTaskId);

  const error = typeof d.error === 'string' && d.error !== '' ? d.error : null;
  const common = { taskId: askedTaskId, error, raw: json };
  if (d.status !== 'COMPLETED') return { ...common, status: d.status, fileUrl: null, outputDuration: null };

  if (!isHttpUrl(d.file_url)) {
    const what = d.file_url === undefined || d.file_url === '' ? 'no data.file_url' : 'a data.file_url that is not an absolute http(s) URL';
    throw badAnswer(`the service said COMPLETED with ${what}`, askedTaskId);
  }
  return { ...common, status: 'COMPLETED', fileUrl: d.file_url, outputDuration: durationOf(d.output_duration, askedTaskId, logger) };
}

/** Seconds of video, or null: a negative, infinite (JSON's 1e999) or non-number duration is dropped. */
function durationOf(v: unknown, taskId: string, logger: Logger | undefined): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  // The kind of value only: whatever the service put there stays out of the log.
  const got = typeof v !== 'number' ? typeof v : Number.isFinite(v) ? 'a negative number' : 'a non-finite number';
  logger?.warn({ taskId, got }, 'status answer: output_duration is not a finite number >= 0; ignored');
  return null;
}
