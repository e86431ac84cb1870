/**
 * Discord attachments as the core's `MediaInput`: fetched only from Discord's CDN (and the
 * overridden API host, for tests and proxies), through the shared capped downloader, which
 * re-checks every redirect against that list. No credential: CDN URLs are signed.
 */
import type { MediaKind } from '../../../core/errors.js';
import type { MediaInput } from '../../../core/ports.js';
import { downloadCapped, toMediaFailure, type DownloadPolicy } from '../../shared/download.js';

/** Discord's attachment hosts. */
const DISCORD_CDN_HOSTS = ['cdn.discordapp.com', 'media.discordapp.net'] as const;

/** https on the CDN hosts, plus the exact origin (host and port) of an overridden API. */
export function discordHostPolicy(apiUrl: string | undefined): DownloadPolicy {
  const extraHost = apiUrl !== undefined ? new URL(apiUrl).host : undefined;
  return {
    allows(url) {
      if (url.protocol === 'https:' && (DISCORD_CDN_HOSTS as readonly string[]).includes(url.hostname)) return true;
      return extraHost !== undefined && url.host === extraHost && (url.protocol === 'http:' || url.protocol === 'https:');
    },
  };
}

/** The facts of a Discord attachment a loader needs. */
export interface AttachmentRef {
  url: string;
  name: string;
  contentType: string | null;
  size: number;
}

/**
 * A `MediaInput` over a Discord attachment. The bytes are fetched once and kept, so the same
 * input can feed both the job and the saved face.
 */
export function attachmentInput(att: AttachmentRef, kind: MediaKind, policy: DownloadPolicy): MediaInput {
  let cached: Promise<Uint8Array> | undefined;
  const input: MediaInput = {
    name: att.name,
    declaredSize: att.size,
    load(maxBytes) {
      cached ??= downloadCapped(att.url, { maxBytes, policy }).then(
        (got) => got.bytes,
        (err: unknown) => {
          cached = undefined;
          throw toMediaFailure(err, kind, {
            limit: maxBytes,
            failed: `Could not download the ${kind} file from Discord.`,
          });
        },
      );
      return cached;
    },
  };
  if (att.contentType !== null) input.declaredType = att.contentType;
  return input;
}
