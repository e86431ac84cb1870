/**
 * Fetches a TTS answer's `file_url` (when the service answers with a link although the client
 * asked for base64): capped in size and time, http(s) only, no credentials sent (the link is
 * the service's own signed URL, which may live on another host).
 */
import { request, type Dispatcher } from 'undici';
import { AvatarError } from './errors.js';

/** Far above a 10,000-character speech as 48 kHz WAV (about 40 MB); a bigger answer is not speech. */
const MAX_SPEECH_BYTES = 64 * 1024 * 1024;

export async function fetchSpeechFile(
  url: string,
  // undici's request follows no redirect: a signed link that redirects elsewhere is refused.
  options: { timeoutMs: number; dispatcher?: Dispatcher | undefined; signal?: AbortSignal | undefined },
): Promise<Uint8Array> {
  const fail = (detail: string, cause?: unknown): AvatarError =>
    new AvatarError('API_UNAVAILABLE', `The speech file could not be fetched: ${detail}`, { detail, cause });
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(url, {
      method: 'GET',
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      signal: options.signal,
      dispatcher: options.dispatcher,
    });
  } catch (err) {
    throw fail('network error', err);
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    res.body.resume();
    throw fail(`HTTP ${res.statusCode}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      const b = chunk as Buffer;
      size += b.byteLength;
      if (size > MAX_SPEECH_BYTES) {
        res.body.destroy();
        throw fail('the file is larger than any speech');
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
