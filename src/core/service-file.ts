/**
 * Fetches a file the avatar service links to (a TTS `file_url`, a finished video's
 * `file_url`): capped in size and time, http(s) only, no credentials sent (the link is the
 * service's own signed URL, which may live on another host). undici's request follows no
 * redirect: a signed link that redirects elsewhere is refused, never followed blindly.
 */
import { request, type Dispatcher } from 'undici';
import { AvatarError } from './errors.js';

/** The reason of the AvatarError thrown when the file is larger than allowed (declared or counted). */
export const FILE_TOO_LARGE = 'FILE_TOO_LARGE';

export interface ServiceFileOptions {
  /** What the file is, for messages ("speech file", "video"). */
  what: string;
  maxBytes: number;
  /** Headers, and each pause in the body, must come within this. */
  timeoutMs: number;
  /** The whole download must end within this (default: no limit beyond `timeoutMs` per pause). */
  totalMs?: number;
  dispatcher?: Dispatcher | undefined;
  signal?: AbortSignal | undefined;
}

/** Throws AvatarError API_UNAVAILABLE (reason FILE_TOO_LARGE when over `maxBytes`). */
export async function fetchServiceFile(url: string, options: ServiceFileOptions): Promise<Uint8Array> {
  const fail = (detail: string, cause?: unknown, reason?: string): AvatarError =>
    new AvatarError('API_UNAVAILABLE', `The ${options.what} could not be fetched: ${detail}`, { detail, cause, reason });
  if (!/^https?:\/\//i.test(url)) throw fail('not an http(s) link');
  const signals = [options.signal, options.totalMs === undefined ? undefined : AbortSignal.timeout(options.totalMs)];
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  const signal = present.length === 0 ? undefined : AbortSignal.any(present);
  const tooLarge = (): AvatarError => fail(`larger than ${options.maxBytes} bytes`, undefined, FILE_TOO_LARGE);
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(url, {
      method: 'GET',
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      signal,
      dispatcher: options.dispatcher,
    });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw fail('network error', err);
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    res.body.resume();
    throw fail(`HTTP ${res.statusCode}`);
  }
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    res.body.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      const b = chunk as Buffer;
      size += b.byteLength;
      if (size > options.maxBytes) {
        res.body.destroy();
        throw tooLarge();
      }
      chunks.push(b);
    }
  } catch (err) {
    if (err instanceof AvatarError || options.signal?.aborted) throw err;
    // A body timeout or a dropped connection mid-file: the same code as a failed request.
    throw fail('the connection broke while reading the file', err);
  }
  if (size === 0) throw fail('the file is empty');
  return Buffer.concat(chunks);
}
