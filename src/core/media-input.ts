import { AvatarError, MediaError, type MediaKind } from './errors.js';
import type { MediaInput } from './ports.js';

const MB = 1024 * 1024;
const mb = (n: number): string => `${(n / MB).toFixed(n < 10 * MB ? 1 : 0)} MB`;

/**
 * Fetches one file through the adapter's loader, refusing it before download when the
 * platform already declares it too big, and after when the loader returned more than allowed.
 * A loader that fails for any other reason becomes DOWNLOAD_FAILED (a plain message, no URL:
 * platform URLs can carry signatures).
 */
export async function loadMedia(kind: MediaKind, input: MediaInput, maxBytes: number): Promise<Uint8Array> {
  const label = kind === 'image' ? 'The image' : 'The audio file';
  if (input.declaredSize !== undefined && input.declaredSize > maxBytes) {
    throw new MediaError(kind, 'TOO_LARGE', `${label} is ${mb(input.declaredSize)}; the limit is ${mb(maxBytes)}.`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await input.load(maxBytes);
  } catch (err) {
    if (err instanceof AvatarError) throw err;
    throw new AvatarError('DOWNLOAD_FAILED', `${label} could not be downloaded. Please send it again.`, {
      detail: err instanceof Error ? err.message : String(err),
      cause: err,
    });
  }
  if (bytes.byteLength > maxBytes) {
    throw new MediaError(kind, 'TOO_LARGE', `${label} is over the limit of ${mb(maxBytes)}.`);
  }
  return bytes;
}

/** A MediaInput over bytes already in memory (saved faces, uploads, the CLI). */
export function bytesInput(bytes: Uint8Array, name?: string): MediaInput {
  return { name, declaredSize: bytes.byteLength, load: async () => bytes };
}
