/**
 * Fetches a TTS answer's `file_url` (when the service answers with a link although the client
 * asked for base64), through the capped, timed fetch of service links (service-file.ts).
 */
import type { Dispatcher } from 'undici';
import { fetchServiceFile } from './service-file.js';

/** Far above a 10,000-character speech as 48 kHz WAV (about 40 MB); a bigger answer is not speech. */
const MAX_SPEECH_BYTES = 64 * 1024 * 1024;

export function fetchSpeechFile(
  url: string,
  options: { timeoutMs: number; dispatcher?: Dispatcher | undefined; signal?: AbortSignal | undefined },
): Promise<Uint8Array> {
  return fetchServiceFile(url, { ...options, what: 'speech file', maxBytes: MAX_SPEECH_BYTES });
}
