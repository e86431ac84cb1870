import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
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

/**
 * A cookie that JavaScript cannot read (HttpOnly) and that no other site can make the browser
 * send (SameSite=Strict), which is the playground's CSRF protection.
 */
function setCookie(reply: FastifyReply, name: string, value: string, maxAgeSeconds: number): void {
  reply.setCookie(name, value, { path: '/', maxAge: maxAgeSeconds, httpOnly: true, sameSite: 'strict' });
}

/** The outcome of checking a request. */
type AccessResult = { ok: true; browserId: string } | { ok: false };

/** Who may use the playground and which browser is asking. */
export interface Access {
  /**
   * Checks the token (when one is configured) and finds or issues the browser id. Sets the
   * cookies it needs on `reply`. Returns `{ok: false}` when the token is missing or wrong.
   */
  check(request: FastifyRequest, reply: FastifyReply): AccessResult;
}

/**
 * Creates the access check. `token` undefined: open (the server is bound to loopback by
 * default). Otherwise a request must carry the token as `?token=` (then remembered in an
 * HttpOnly cookie holding its hash), as that cookie, or as `Authorization: Bearer`.
 */
export function createAccess(token: string | undefined): Access {
  const tokenHash = token === undefined ? undefined : sha256(token);
  const tokenHashHex = tokenHash?.toString('hex');

  function tokenOk(request: FastifyRequest, reply: FastifyReply): boolean {
    if (tokenHash === undefined || tokenHashHex === undefined) return true;
    const auth = request.headers.authorization;
    if (auth !== undefined && /^Bearer\s+/i.test(auth)) {
      if (sameSecret(sha256(auth.replace(/^Bearer\s+/i, '').trim()), tokenHash)) return true;
    }
    const fromQuery = new URL(request.url, 'http://localhost').searchParams.get('token');
    if (fromQuery !== null && sameSecret(sha256(fromQuery), tokenHash)) {
      setCookie(reply, TOKEN_COOKIE, tokenHashHex, MONTH_SECONDS);
      return true;
    }
    const fromCookie = request.cookies[TOKEN_COOKIE];
    if (fromCookie !== undefined && /^[0-9a-f]{64}$/.test(fromCookie)) {
      if (sameSecret(Buffer.from(fromCookie, 'hex'), tokenHash)) return true;
    }
    return false;
  }

  return {
    check(request, reply) {
      if (!tokenOk(request, reply)) return { ok: false };
      const existing = request.cookies[BROWSER_COOKIE];
      if (existing !== undefined && BROWSER_ID_PATTERN.test(existing)) return { ok: true, browserId: existing };
      const browserId = randomBytes(18).toString('base64url');
      setCookie(reply, BROWSER_COOKIE, browserId, YEAR_SECONDS);
      return { ok: true, browserId };
    },
  };
}
