import { AvatarError, MediaError, type MediaKind } from './errors.js';
import type { MediaInput } from './ports.js';

/**
 * Fetches one file through the adapter's loader, refusing it before download when the
 * platform already declares it too big, and after when the loader returned more than allowed.
 * A loader that fails for any other reason becomes DOWNLOAD_FAILED (a plain message, no URL:
 * platform URLs can carry signatures).
 */
export async function loadMedia(kind: MediaKind, input: MediaInput, maxBytes: number): Promise<Uint8Array> {
  if (input.declaredSize !== undefined && input.declaredSize > maxBytes) {
    throw new MediaError(kind, 'TOO_LARGE', `${kind}: declared ${input.declaredSize} bytes over the limit of ${maxBytes}`, {
      facts: { found: input.declaredSize, limit: maxBytes },
    });
  }
  let bytes: Uint8Array;
  try {
    bytes = await input.load(maxBytes);
  } catch (err) {
    if (err instanceof AvatarError) throw err;
    throw new AvatarError('DOWNLOAD_FAILED', `${kind}: download failed`, {
      detail: err instanceof Error ? err.message : String(err),
      cause: err,
    });
  }
  if (bytes.byteLength > maxBytes) {
    throw new MediaError(kind, 'TOO_LARGE', `${kind}: loaded ${bytes.byteLength} bytes over the limit of ${maxBytes}`, {
      facts: { found: bytes.byteLength, limit: maxBytes },
    });
  }
  return bytes;
}

/** A MediaInput over bytes already in memory (saved faces, uploads, the CLI). */
export function bytesInput(bytes: Uint8Array, name?: string): MediaInput {
  return { name, declaredSize: bytes.byteLength, load: async () => bytes };
}
