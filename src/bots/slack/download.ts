/**
 * Downloads with a size cap and a token allow-list. The Slack bot token goes only to Slack's
 * own https hosts (and to the host of an overridden SLACK_API_URL, for self-hosted gateways and
 * tests); redirects are followed by hand so the Authorization header is dropped whenever a
 * hop leaves those hosts (undici's `request` never follows redirects on its own).
 */
import { request } from 'undici';
import { AvatarError } from '../../core/errors.js';

/** Decides whether a URL may receive the bot token. */
export type TokenHostCheck = (url: URL) => boolean;

/**
 * Slack's own file and API hosts over https, plus `apiUrl`'s exact origin (host and port:
 * another server on the same machine is a different party).
 */
export function createTokenHostCheck(apiUrl: string | undefined): TokenHostCheck {
  const override = apiUrl === undefined ? undefined : new URL(apiUrl);
  return (url) => {
    if (override !== undefined && url.protocol === override.protocol && url.host === override.host) return true;
    if (url.protocol !== 'https:' || url.port !== '') return false;
    const host = url.hostname.toLowerCase();
    return host === 'slack.com' || host.endsWith('.slack.com') || host.endsWith('.slack-edge.com');
  };
}

export interface CappedDownloadOptions {
  /** Bearer token to send to hosts `mayReceiveToken` accepts; never elsewhere. */
  token?: string;
  mayReceiveToken?: TokenHostCheck;
  maxBytes: number;
  /** Thrown (as the caller builds it) when the body is larger than maxBytes. */
  tooLarge: () => Error;
  maxRedirects?: number;
  timeoutMs?: number;
}

export interface DownloadResult {
  bytes: Uint8Array;
  contentType: string | undefined;
  /** The URL the bytes finally came from. */
  finalUrl: string;
  /** Whether the token was sent on the final hop. */
  sentToken: boolean;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * GETs `url` (http/https only), following up to `maxRedirects` redirects itself, stopping to
 * read once `maxBytes` is passed. Network failures and non-2xx answers become DOWNLOAD_FAILED.
 */
export async function downloadCapped(url: string, opts: CappedDownloadOptions): Promise<DownloadResult> {
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new AvatarError('DOWNLOAD_FAILED', 'The file link is not a valid URL.', { detail: 'bad url' });
  }
  const maxRedirects = opts.maxRedirects ?? 3;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  for (let hop = 0; hop <= maxRedirects; hop += 1) {
    if (current.protocol !== 'https:' && current.protocol !== 'http:') {
      throw new AvatarError('DOWNLOAD_FAILED', 'The file link uses an unsupported scheme.', { detail: current.protocol });
    }
    const sendToken = opts.token !== undefined && opts.mayReceiveToken !== undefined && opts.mayReceiveToken(current);
    const headers: Record<string, string> = {};
    if (sendToken && opts.token !== undefined) headers['authorization'] = `Bearer ${opts.token}`;
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(current, {
        method: 'GET',
        headers,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (err) {
      throw new AvatarError('DOWNLOAD_FAILED', 'The file could not be fetched.', {
        detail: `${current.host}: ${err instanceof Error ? err.message : String(err)}`,
        cause: err,
      });
    }
    if (res.statusCode >= 300 && res.statusCode < 400) {
      await res.body.dump();
      const location = header(res.headers['location']);
      if (location === undefined) break;
      // A relative Location resolves against the current hop; the next hop is checked afresh.
      current = new URL(location, current);
      continue;
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      await res.body.dump();
      throw new AvatarError('DOWNLOAD_FAILED', 'The file could not be fetched.', {
        status: res.statusCode,
        detail: `${current.host} answered ${res.statusCode}`,
      });
    }
    // Destroying an undici body emits an AbortError: it is expected here, so it is swallowed.
    const drop = (): void => {
      res.body.on('error', () => undefined);
      res.body.destroy();
    };
    const declared = Number(header(res.headers['content-length']));
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      drop();
      throw opts.tooLarge();
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of res.body) {
      const buf = chunk as Buffer;
      total += buf.length;
      if (total > opts.maxBytes) {
        drop();
        throw opts.tooLarge();
      }
      chunks.push(buf);
    }
    return {
      bytes: new Uint8Array(Buffer.concat(chunks, total)),
      contentType: header(res.headers['content-type']),
      finalUrl: current.toString(),
      sentToken: sendToken,
    };
  }
  throw new AvatarError('DOWNLOAD_FAILED', 'The file could not be fetched (too many redirects).', {
    detail: 'redirects',
  });
}
