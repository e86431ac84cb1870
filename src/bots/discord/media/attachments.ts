/**
 * Byte-capped downloads. Attachments come only from Discord's CDN (and the overridden API
 * host, for tests and proxies); redirects are followed only to allowed hosts, and the body is
 * counted while streaming so an oversized file is cut off, never buffered whole.
 */
import { AvatarError, MediaError, type MediaKind } from '../../core/errors.js';
import type { MediaInput } from '../../core/ports.js';

/** Discord's attachment hosts. */
export const DISCORD_CDN_HOSTS = ['cdn.discordapp.com', 'media.discordapp.net'] as const;

export type DownloadFailure = 'host' | 'too_large' | 'status' | 'network';

export class DownloadError extends Error {
  constructor(
    readonly failure: DownloadFailure,
    message: string,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

/** Which URLs may be fetched: https on the CDN hosts, plus the exact origin of an overridden API. */
export interface HostPolicy {
  allows(url: URL): boolean;
}

/** The attachment host policy for an adapter whose API base may be overridden. */
export function discordHostPolicy(apiUrl: string | undefined): HostPolicy {
  const extraHost = apiUrl !== undefined ? new URL(apiUrl).host : undefined;
  return {
    allows(url) {
      if (url.protocol === 'https:' && (DISCORD_CDN_HOSTS as readonly string[]).includes(url.hostname)) return true;
      return extraHost !== undefined && url.host === extraHost && (url.protocol === 'http:' || url.protocol === 'https:');
    },
  };
}

/** A policy that lets any http(s) URL through (the avatar service's own result links). */
export const ANY_HTTP: HostPolicy = { allows: (url) => url.protocol === 'http:' || url.protocol === 'https:' };

export interface FetchCappedOptions {
  maxBytes: number;
  policy: HostPolicy;
  timeoutMs?: number;
  maxRedirects?: number;
}

/** Fetches `url` into memory, refusing more than `maxBytes` and any hop outside `policy`. */
export async function fetchCapped(url: string, opts: FetchCappedOptions): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 60_000);
  let current = new URL(url);
  const maxRedirects = opts.maxRedirects ?? 3;
  for (let hop = 0; hop <= maxRedirects; hop++) {
    if (!opts.policy.allows(current)) throw new DownloadError('host', `host not allowed: ${current.host}`);
    let res: Response;
    try {
      res = await fetch(current, { redirect: 'manual', signal });
    } catch (err) {
      throw new DownloadError('network', err instanceof Error ? err.message : String(err));
    }
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get('location');
      await res.body?.cancel();
      if (location === null) throw new DownloadError('status', `redirect without location (${res.status})`);
      current = new URL(location, current);
      continue;
    }
    if (!res.ok || res.body === null) {
      await res.body?.cancel();
      throw new DownloadError('status', `HTTP ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      await res.body.cancel();
      throw new DownloadError('too_large', `declared ${declared} bytes > ${opts.maxBytes}`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = res.body.getReader();
    for (;;) {
      const step = await reader.read().catch((err: unknown) => {
        throw new DownloadError('network', err instanceof Error ? err.message : String(err));
      });
      if (step.done) break;
      size += step.value.length;
      if (size > opts.maxBytes) {
        await reader.cancel();
        throw new DownloadError('too_large', `more than ${opts.maxBytes} bytes`);
      }
      chunks.push(step.value);
    }
    const out = new Uint8Array(size);
    let offset = 0;
    for (const c of chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
  throw new DownloadError('status', 'too many redirects');
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
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
export function attachmentInput(att: AttachmentRef, kind: MediaKind, policy: HostPolicy): MediaInput {
  let cached: Promise<Uint8Array> | undefined;
  const input: MediaInput = {
    name: att.name,
    declaredSize: att.size,
    load(maxBytes) {
      cached ??= fetchCapped(att.url, { maxBytes, policy }).catch((err: unknown) => {
        cached = undefined;
        if (err instanceof DownloadError && err.failure === 'too_large') {
          throw new MediaError(kind, 'TOO_LARGE', `The ${kind} file "${att.name}" is larger than ${megabytes(maxBytes)}.`);
        }
        throw new AvatarError('DOWNLOAD_FAILED', `Could not download the ${kind} file from Discord.`, {
          detail: err instanceof Error ? err.message : String(err),
          cause: err,
        });
      });
      return cached;
    },
  };
  if (att.contentType !== null) input.declaredType = att.contentType;
  return input;
}

/** A `MediaInput` over bytes already in hand (a saved face). */
export function bytesInput(bytes: Uint8Array, name: string): MediaInput {
  return { name, declaredSize: bytes.length, load: async () => bytes };
}
