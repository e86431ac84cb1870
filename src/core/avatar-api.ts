/**
 * The Mirako-compatible HTTP client (undici). Typed errors with stable codes, a retry policy
 * that never submits one job twice unless the failure proves the first attempt was not
 * accepted, and timeouts on every request so a hung connection cannot stall a job.
 */
import { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import type { Logger } from 'pino';
import { AvatarError, NO_TASK_ID_MESSAGE, REQUEST_ERROR_PREFIX, type AvatarErrorOptions, type ErrorCode } from './errors.js';
import { codeForStatus, describeProblem, networkCode, parseRetryAfter } from './http-problem.js';
import type { AvatarApi, SpeakInput, SpokenAudio, StatusAnswer, SubmitAnswer, SubmitInput, Transcript, Voice } from './ports.js';
import { base64JsonBody } from './base64-body.js';
import { OWN_VOICES_PATH, PREMADE_VOICES_PATH, statusPath, STT_PATH, SUBMIT_PATH, TTS_PATH } from './api-paths.js';
import { speechRefusal, parseSpeechAnswer, parseVoiceList, speechAudio } from './speech-answers.js';
import { fetchSpeechFile } from './speech-file.js';
import { isTaskStatus, parseStatusAnswer } from './status-answer.js';
import { parseTranscriptAnswer } from './transcript-answer.js';

export { parseRetryAfter } from './http-problem.js';

/**
 * The reason of an API_UNAVAILABLE that is the service's own 5xx (fact `status`): it was reached
 * and had an error, which people are told in other words than "cannot be reached".
 */
const SERVICE_ERROR = 'SERVICE_ERROR';

/** The reason of an API_NOT_FOUND from `transcribe`: the service has no speech-to-text at all. */
export const NO_SPEECH_TO_TEXT = 'NO_SPEECH_TO_TEXT';

export interface AvatarApiConfig {
  baseUrl: string;
  apiKey: string | undefined;
  /** Per request: headers and body each must arrive within this. */
  requestTimeoutMs: number;
  /** Attempts after the first one, for failures that may be retried. */
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the error goes to the caller. */
  maxRetryAfterMs?: number;
}

export interface AvatarApiDeps {
  logger?: Logger;
  dispatcher?: Dispatcher;
  /** For tests: deterministic jitter and no real sleeping. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Why one attempt failed, and whether another attempt is safe. */
interface AttemptFailure {
  error: AvatarError;
  /** For submits: true only when the failure proves the service did not accept the request. */
  notAccepted: boolean;
  /** For idempotent reads: true when retrying may help. */
  transient: boolean;
}

const sleepReal = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

function requestError(code: ErrorCode, detail: string, extra: Omit<AvatarErrorOptions, 'detail'> = {}): AvatarError {
  return new AvatarError(code, REQUEST_ERROR_PREFIX + detail, { ...extra, detail });
}

/** Creates the client. `baseUrl` has no trailing slash requirement. */
export function createAvatarApi(config: AvatarApiConfig, deps: AvatarApiDeps = {}): AvatarApi {
  const base = config.baseUrl.replace(/\/+$/, '');
  const maxRetries = config.maxRetries ?? 4;
  const baseDelay = config.baseDelayMs ?? 500;
  const maxDelay = config.maxDelayMs ?? 8000;
  const maxRetryAfter = config.maxRetryAfterMs ?? 60_000;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? sleepReal;
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (config.apiKey !== undefined) headers.authorization = `Bearer ${config.apiKey}`;

  /** Capped exponential backoff with full jitter (AWS style), or the server's Retry-After. */
  function delayFor(attempt: number, retryAfterMs: number | undefined): number {
    if (retryAfterMs !== undefined) return retryAfterMs;
    const cap = Math.min(maxDelay, baseDelay * 2 ** attempt);
    return Math.round(cap / 2 + (random() * cap) / 2);
  }

  async function attempt(
    method: 'GET' | 'POST',
    path: string,
    body: (() => AsyncIterable<Uint8Array>) | undefined,
    contentLength: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<{ ok: true; json: unknown } | { ok: false; failure: AttemptFailure }> {
    const timeout = AbortSignal.timeout(config.requestTimeoutMs * 2);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    let res: Dispatcher.ResponseData;
    try {
      res = await request(base + path, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': String(contentLength) },
        body: body === undefined ? undefined : Readable.from(body(), { objectMode: false }),
        headersTimeout: config.requestTimeoutMs,
        bodyTimeout: config.requestTimeoutMs,
        signal: combined,
        dispatcher: deps.dispatcher,
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      const code = networkCode(err);
      // Only a refused connection proves the request never reached the service.
      const refused = code === 'ECONNREFUSED';
      const detail = refused
        ? 'the avatar service refused the connection'
        : code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || timeout.aborted
          ? `no answer within ${Math.round(config.requestTimeoutMs / 1000)} s`
          : `network error (${code || (err instanceof Error ? err.message : 'unknown')})`;
      return {
        ok: false,
        failure: { error: requestError('API_UNAVAILABLE', detail, { cause: err }), notAccepted: refused, transient: true },
      };
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      if (signal?.aborted) throw err;
      return {
        ok: false,
        failure: {
          error: requestError('API_UNAVAILABLE', 'the connection broke while reading the answer', { cause: err }),
          notAccepted: false,
          transient: true,
        },
      };
    }
    const contentType = String(res.headers['content-type'] ?? '');
    if (res.statusCode >= 200 && res.statusCode < 300) {
      try {
        return { ok: true, json: JSON.parse(text) as unknown };
      } catch (err) {
        return {
          ok: false,
          failure: {
            error: requestError('API_BAD_RESPONSE', `the service answered ${res.statusCode} with malformed JSON`, {
              status: res.statusCode,
              cause: err,
            }),
            notAccepted: false,
            transient: true,
          },
        };
      }
    }
    const status = res.statusCode;
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(res.headers['retry-after']) : undefined;
    const code = codeForStatus(status);
    const serviceError = code === 'API_UNAVAILABLE' ? { reason: SERVICE_ERROR, facts: { status } } : {};
    const error = requestError(code, describeProblem(status, text, contentType), { status, retryAfterMs, ...serviceError });
    // 429 and gateway errors (502/503/504) mean the request was not processed; a 500 may have been.
    const notAccepted = status === 429 || status === 502 || status === 503 || status === 504;
    const transient = status === 429 || status >= 500;
    return { ok: false, failure: { error, notAccepted, transient } };
  }

  async function withRetries(
    label: 'submit' | 'status' | 'speak' | 'voices' | 'transcribe',
    run: () => Promise<{ ok: true; json: unknown } | { ok: false; failure: AttemptFailure }>,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    for (let n = 0; ; n++) {
      const r = await run();
      if (r.ok) return r.json;
      const { error, notAccepted, transient } = r.failure;
      // A submit (or speech) is retried only when the service provably did not take it: a second
      // accepted one would render (and bill) the same work twice. Reads are idempotent.
      const mayRetry = label === 'submit' || label === 'speak' || label === 'transcribe' ? notAccepted : transient;
      const tooLong = error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfter;
      if (!mayRetry || n >= maxRetries || tooLong) throw error;
      const wait = delayFor(n, error.retryAfterMs);
      deps.logger?.warn(
        { op: label, attempt: n + 1, code: error.code, status: error.status, waitMs: wait },
        'avatar API request failed, retrying',
      );
      await sleep(wait, signal);
    }
  }

  return {
    async submit(input: SubmitInput, signal?: AbortSignal): Promise<SubmitAnswer> {
      const webhook =
        input.webhook === undefined
          ? undefined
          : { url: input.webhook.url, ...(input.webhook.authToken === undefined ? {} : { auth_token: input.webhook.authToken }) };
      const { length, chunks } = base64JsonBody(input.image, input.audio, webhook);
      const json = await withRetries('submit', () => attempt('POST', SUBMIT_PATH, chunks, length, signal), signal);
      const data = (json as { data?: { task_id?: unknown; status?: unknown } } | null)?.data;
      const taskId = data?.task_id;
      if (typeof taskId !== 'string' || taskId.trim() === '') {
        throw new AvatarError('NO_TASK_ID', NO_TASK_ID_MESSAGE, { detail: JSON.stringify(json).slice(0, 200) });
      }
      return { taskId, status: isTaskStatus(data?.status) ? data.status : 'IN_QUEUE', raw: json };
    },

    async status(taskId: string, signal?: AbortSignal): Promise<StatusAnswer> {
      const json = await withRetries('status', () => attempt('GET', statusPath(taskId), undefined, undefined, signal), signal);
      return parseStatusAnswer(json, taskId, deps.logger);
    },

    async speak(input: SpeakInput, signal?: AbortSignal): Promise<SpokenAudio> {
      const body = Buffer.from(
        JSON.stringify({
          text: input.text,
          voice_profile_id: input.voiceId,
          return_type: 'b64_audio_str',
          ...(input.chineseLanguage === undefined ? {} : { chinese_language: input.chineseLanguage }),
        }),
      );
      const chunks = async function* (): AsyncIterable<Uint8Array> {
        yield body;
      };
      const json = await withRetries('speak', () => attempt('POST', TTS_PATH, chunks, body.byteLength, signal), signal).catch(
        (err: unknown) => {
          throw speechRefusal(err, input.voiceId) ?? err;
        },
      );
      const answer = parseSpeechAnswer(json);
      if ('audio' in answer) return answer;
      // Asked for base64, answered with a link: fetch it (capped, timed) rather than fail.
      const raw = await fetchSpeechFile(answer.fileUrl, { timeoutMs: config.requestTimeoutMs, dispatcher: deps.dispatcher, signal });
      return { audio: speechAudio(raw, answer.seconds), seconds: answer.seconds };
    },

    async voices(signal?: AbortSignal): Promise<Voice[]> {
      const get = (path: string): Promise<unknown> =>
        withRetries('voices', () => attempt('GET', path, undefined, undefined, signal), signal);
      const premade = parseVoiceList(await get(PREMADE_VOICES_PATH), true);
      // The account's own voices are a bonus: a service (or the preview) without them still lists premade ones.
      const own = await get(OWN_VOICES_PATH).then(
        (json) => parseVoiceList(json, false),
        (err: unknown) => {
          deps.logger?.info({ err: err instanceof Error ? err.message : String(err) }, 'own voice list unavailable; premade voices only');
          return [];
        },
      );
      const seen = new Set(premade.map((v) => v.id));
      return [...premade, ...own.filter((v) => !seen.has(v.id))];
    },

    async transcribe(audio: Uint8Array, signal?: AbortSignal): Promise<Transcript> {
      const body = Buffer.from(JSON.stringify({ audio: Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength).toString('base64') }));
      const chunks = async function* (): AsyncIterable<Uint8Array> {
        yield body;
      };
      const json = await withRetries('transcribe', () => attempt('POST', STT_PATH, chunks, body.byteLength, signal), signal).catch(
        (err: unknown) => {
          throw noSpeechToText(err) ?? err;
        },
      );
      const { dropped, ...transcript } = parseTranscriptAnswer(json);
      if (dropped > 0) deps.logger?.warn({ dropped }, 'speech-to-text segments with impossible times were left out');
      return transcript;
    },
  };
}

/**
 * 404, 405 and 501 on the speech-to-text path: this service has none (the preview server, a
 * compatible service without it). One code, API_NOT_FOUND with reason NO_SPEECH_TO_TEXT, so
 * the captions step can tell "none here" from "it failed".
 */
function noSpeechToText(err: unknown): AvatarError | null {
  if (!(err instanceof AvatarError) || (err.status !== 404 && err.status !== 405 && err.status !== 501)) return null;
  return new AvatarError('API_NOT_FOUND', 'The avatar service has no speech-to-text.', {
    status: err.status,
    detail: err.detail,
    reason: NO_SPEECH_TO_TEXT,
    cause: err,
  });
}
