import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCookies, serializeCookie } from './cookies.js';
import { BROWSER_ID_PATTERN } from './reply-to.js';

/** Cookie holding the random id of this browser (its jobs are listed by it). */
const BROWSER_COOKIE = 'pg_browser';
/** Cookie holding a hash of the playground token once the browser has shown it. */
const TOKEN_COOKIE = 'pg_token';

const YEAR_SECONDS = 365 * 24 * 3600;
const MONTH_SECONDS = 30 * 24 * 3600;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time comparison of two secrets of any length (both hashed first). */
function sameSecret(a: Buffer, b: Buffer): boolean {
  return timingSafeEqual(a, b);
}

/** The outcome of checking a request. */
type AccessResult = { ok: true; browserId: string } | { ok: false };

/** Who may use the playground and which browser is asking. */
export interface Access {
  /**
   * Checks the token (when one is configured) and finds or issues the browser id. Sets the
   * cookies it needs on `res`. Returns `{ok: false}` when the token is missing or wrong.
   */
  check(req: IncomingMessage, res: ServerResponse, url: URL): AccessResult;
}

/** Adds a Set-Cookie without dropping ones set earlier on the same response. */
function appendCookie(res: ServerResponse, cookie: string): void {
  const prev = res.getHeader('Set-Cookie');
  const list = prev === undefined ? [] : Array.isArray(prev) ? prev.map(String) : [String(prev)];
  list.push(cookie);
  res.setHeader('Set-Cookie', list);
}

/**
 * Creates the access check. `token` undefined: open (the server is bound to loopback by
 * default). Otherwise a request must carry the token as `?token=` (then remembered in an
 * HttpOnly cookie holding its hash), as that cookie, or as `Authorization: Bearer`.
 */
export function createAccess(token: string | undefined): Access {
  const tokenHash = token === undefined ? undefined : sha256(token);
  const tokenHashHex = tokenHash?.toString('hex');

  function tokenOk(req: IncomingMessage, res: ServerResponse, url: URL, cookies: Map<string, string>): boolean {
    if (tokenHash === undefined || tokenHashHex === undefined) return true;
    const auth = req.headers.authorization;
    if (auth !== undefined && /^Bearer\s+/i.test(auth)) {
      if (sameSecret(sha256(auth.replace(/^Bearer\s+/i, '').trim()), tokenHash)) return true;
    }
    const fromQuery = url.searchParams.get('token');
    if (fromQuery !== null && sameSecret(sha256(fromQuery), tokenHash)) {
      appendCookie(res, serializeCookie(TOKEN_COOKIE, tokenHashHex, MONTH_SECONDS));
      return true;
    }
    const fromCookie = cookies.get(TOKEN_COOKIE);
    if (fromCookie !== undefined && /^[0-9a-f]{64}$/.test(fromCookie)) {
      if (sameSecret(Buffer.from(fromCookie, 'hex'), tokenHash)) return true;
    }
    return false;
  }

  return {
    check(req, res, url) {
      const cookies = parseCookies(req.headers.cookie);
      if (!tokenOk(req, res, url, cookies)) return { ok: false };
      const existing = cookies.get(BROWSER_COOKIE);
      if (existing !== undefined && BROWSER_ID_PATTERN.test(existing)) return { ok: true, browserId: existing };
      const browserId = randomBytes(18).toString('base64url');
      appendCookie(res, serializeCookie(BROWSER_COOKIE, browserId, YEAR_SECONDS));
      return { ok: true, browserId };
    },
  };
}
