/**
 * The one capped downloader of every adapter. Redirects are followed by hand (undici's
 * `request` never follows them itself), so each hop is checked afresh: a hop the adapter's
 * policy does not allow is refused, and a credential goes only to the hops the policy names
 * for it (a redirect to another host drops it). The body is counted while it streams, so an
 * oversized file is cut off, never buffered whole.
 */
import { request } from 'undici';
import { AvatarError, MediaError, type MediaKind } from '../../core/errors.js';

/** Which URLs may be fetched, and which of them may see the adapter's credential. */
export interface DownloadPolicy {
  /** Checked before the first request and again for every redirect target. */
  allows(url: URL): boolean;
  /**
   * The Authorization header for this hop, or undefined: asked for every hop, so a credential
   * never follows a redirect to a host that may not see it.
   */
  authorization?(url: URL): string | undefined;
}

/** Any http(s) URL, no credential: the avatar service's own result links. */
export const ANY_HTTP: DownloadPolicy = { allows: (url) => url.protocol === 'http:' || url.protocol === 'https:' };

export type DownloadFailure = 'url' | 'host' | 'redirects' | 'status' | 'network' | 'too_large';

/** Why a download stopped; `toMediaFailure` turns it into the core's error terms. */
export class DownloadError extends Error {
  constructor(
    readonly failure: DownloadFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface DownloadOptions {
  maxBytes: number;
  policy: DownloadPolicy;
  /** Redirects followed before giving up (default 3). */
  maxRedirects?: number;
  /** Whole download, all hops (default 60 s). */
  timeoutMs?: number;
}

export interface Downloaded {
  bytes: Uint8Array;
  contentType: string | undefined;
  /** The URL the bytes finally came from. */
  finalUrl: string;
  /** Whether the last hop carried the credential. */
  authorized: boolean;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parse(url: string | URL, base?: URL): URL {
  try {
    return new URL(url, base);
  } catch {
    throw new DownloadError('url', 'not a valid URL');
  }
}

/** Fetches `url` into memory; throws DownloadError for every refusal and failure. */
export async function downloadCapped(url: string, opts: DownloadOptions): Promise<Downloaded> {
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 60_000);
  const maxRedirects = opts.maxRedirects ?? 3;
  let current = parse(url);
  for (let hop = 0; hop <= maxRedirects; hop += 1) {
    if (!opts.policy.allows(current)) throw new DownloadError('host', `host not allowed: ${current.host}`);
    const authorization = opts.policy.authorization?.(current);
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(current, {
        method: 'GET',
        headers: authorization === undefined ? {} : { authorization },
        signal,
      });
    } catch (err) {
      throw new DownloadError('network', `${current.host}: ${err instanceof Error ? err.message : String(err)}`);
    }
    // Destroying an undici body emits an AbortError: expected here, so it is swallowed.
    const drop = (): void => {
      res.body.on('error', () => undefined);
      res.body.destroy();
    };
    if (res.statusCode >= 300 && res.statusCode < 400) {
      // dump() reads a small body to its end (so the connection can be reused) and no more.
      await res.body.dump().catch(() => undefined);
      const location = header(res.headers['location']);
      if (location === undefined) throw new DownloadError('status', `redirect without location (${res.statusCode})`, res.statusCode);
      // A relative Location resolves against the current hop; the next hop is checked afresh.
      current = parse(location, current);
      continue;
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      await res.body.dump().catch(() => undefined);
      throw new DownloadError('status', `${current.host} answered ${res.statusCode}`, res.statusCode);
    }
    const declared = Number(header(res.headers['content-length']));
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      drop();
      throw new DownloadError('too_large', `declared ${declared} bytes > ${opts.maxBytes}`);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        total += buf.length;
        if (total > opts.maxBytes) {
          drop();
          throw new DownloadError('too_large', `more than ${opts.maxBytes} bytes`);
        }
        chunks.push(buf);
      }
    } catch (err) {
      if (err instanceof DownloadError) throw err;
      throw new DownloadError('network', `${current.host}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return {
      bytes: new Uint8Array(Buffer.concat(chunks, total)),
      contentType: header(res.headers['content-type']),
      finalUrl: current.toString(),
      authorized: authorization !== undefined,
    };
  }
  throw new DownloadError('redirects', `more than ${maxRedirects} redirects`);
}

/**
 * A failed download in the core's terms: too large is the file's fault (INVALID_MEDIA
 * TOO_LARGE, with the adapter's sentence); anything else is DOWNLOAD_FAILED (the adapter's
 * sentence, the technical cause kept as detail for logs only: URLs can carry signatures).
 */
export function toMediaFailure(err: unknown, kind: MediaKind, what: { limit: number; failed: string }): AvatarError {
  if (err instanceof AvatarError) return err;
  if (err instanceof DownloadError && err.failure === 'too_large') {
    // The sentence people read is made from the facts (bots/shared/words/media.ts).
    return new MediaError(kind, 'TOO_LARGE', `${kind}: download over ${what.limit} bytes`, { facts: { limit: what.limit }, cause: err });
  }
  return new AvatarError('DOWNLOAD_FAILED', what.failed, {
    detail: err instanceof Error ? err.message : String(err),
    cause: err,
    ...(err instanceof DownloadError && err.status !== undefined ? { status: err.status } : {}),
    ...(err instanceof DownloadError && err.failure === 'host' ? { reason: 'FOREIGN_HOST' } : {}),
  });
}
