import type { FastifyError, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { toAvatarError } from '../../core/errors.js';
import type { PlaygroundContext } from './context.js';
import { errorWords, httpStatusFor } from './error-words.js';
import { sendError } from './http-util.js';
import { hostAllowed, originAllowed } from './request-origin.js';

/** A playground handler, called only once access is granted. */
export type PlaygroundHandler = (request: FastifyRequest, reply: FastifyReply, browserId: string) => unknown;

/** The browser id the guard found for each request it let through. */
const browsers = new WeakMap<FastifyRequest, string>();

/**
 * The hook every playground route runs first (after helmet's headers): no caching, the host
 * and origin checks (403), the token check (401), and the browser id. Nothing of the body has
 * been read yet when it refuses. A refusal is sent at once; `done` lets the request through.
 */
export function createGuard(ctx: PlaygroundContext) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    reply.header('cache-control', 'no-store');
    if (!hostAllowed(request, ctx.tokenRequired)) {
      sendError(reply, 403, 'FORBIDDEN', 'Open the playground through localhost or 127.0.0.1.');
      return;
    }
    if (!originAllowed(request)) {
      sendError(reply, 403, 'FORBIDDEN', 'Requests from other sites are not accepted.');
      return;
    }
    const access = ctx.access.check(request, reply);
    if (!access.ok) {
      sendError(
        reply,
        401,
        'UNAUTHORIZED',
        'This playground needs its access token: open the link with ?token=... once, or send Authorization: Bearer <token>.',
        { 'WWW-Authenticate': 'Bearer realm="playground"' },
      );
      return;
    }
    browsers.set(request, access.browserId);
    done();
  };
}

/** A route handler that gets the browser id the guard granted. */
export function withBrowser(handler: PlaygroundHandler) {
  return (request: FastifyRequest, reply: FastifyReply): unknown => {
    const browserId = browsers.get(request);
    if (browserId === undefined) throw new Error('playground route reached without its guard');
    return handler(request, reply, browserId);
  };
}

/** A handler's error in words, never its details (those are logged). */
export function createErrorHandler(ctx: PlaygroundContext) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const e = toAvatarError(err);
    ctx.logger.error({ err: e, code: e.code, path: request.url.split('?')[0] }, 'playground request failed');
    if (reply.raw.headersSent) reply.raw.end();
    else sendError(reply, httpStatusFor(e.code), e.code, errorWords(e));
  };
}
