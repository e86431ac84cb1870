import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteHandler } from '../../http/router.js';
import { toAvatarError } from '../../core/errors.js';
import type { PlaygroundContext } from './context.js';
import { errorWords, httpStatusFor } from './error-words.js';
import { sendError, setCommonHeaders } from './http-util.js';
import { hostAllowed, originAllowed } from './request-origin.js';

/** A playground handler, called only once access is granted. */
export type PlaygroundHandler = (req: IncomingMessage, res: ServerResponse, url: URL, browserId: string) => void | Promise<void>;

/**
 * Wraps a handler with what every playground route needs: security headers, the host and
 * origin checks, the token check
 * (401 otherwise), the browser id, and a catch-all that answers errors in words instead of
 * leaking details.
 */
export function guard(ctx: PlaygroundContext, handler: PlaygroundHandler): RouteHandler {
  return async (req, res, url) => {
    setCommonHeaders(res);
    if (!hostAllowed(req, ctx.tokenRequired)) {
      sendError(res, 403, 'FORBIDDEN', 'Open the playground through localhost or 127.0.0.1.');
      return;
    }
    if (!originAllowed(req)) {
      sendError(res, 403, 'FORBIDDEN', 'Requests from other sites are not accepted.');
      return;
    }
    const access = ctx.access.check(req, res, url);
    if (!access.ok) {
      sendError(
        res,
        401,
        'UNAUTHORIZED',
        'This playground needs its access token: open the link with ?token=... once, or send Authorization: Bearer <token>.',
        { 'WWW-Authenticate': 'Bearer realm="playground"' },
      );
      return;
    }
    try {
      await handler(req, res, url, access.browserId);
    } catch (err) {
      const e = toAvatarError(err);
      ctx.logger.error({ err: e, code: e.code, path: url.pathname }, 'playground request failed');
      if (!res.headersSent) sendError(res, httpStatusFor(e.code), e.code, errorWords(e));
      else res.end();
    }
  };
}
