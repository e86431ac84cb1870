/**
 * Mounts Bolt's HTTPReceiver on the bot's one HTTP server at `POST /slack/events`: the same
 * endpoint takes events, interactivity and slash commands. Bolt reads the raw body, checks
 * the v0 signature (401 when wrong or stale) and acks: Fastify parses nothing here (a
 * catch-all parser that leaves the stream unread) and hands Bolt the untouched Node request
 * and response, so the signature is checked on the exact bytes Slack sent.
 * In OAuth mode the receiver's install flow is mounted too: `GET /slack/install` (redirects to
 * Slack's authorize page with a signed state) and `GET /slack/oauth_redirect` (checks the
 * state, exchanges the code and stores the installation).
 */
import type { HTTPReceiver } from '@slack/bolt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Router } from '../../http/router.js';

export const SLACK_EVENTS_PATH = '/slack/events';
export const SLACK_INSTALL_PATH = '/slack/install';
export const SLACK_OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';

function forward(receiver: HTTPReceiver, isReady: () => boolean, logger: Logger) {
  return (request: FastifyRequest, reply: FastifyReply): void => {
    if (!isReady()) {
      void reply.code(503).header('retry-after', '5').send();
      return;
    }
    // From here on Bolt owns the response.
    reply.hijack();
    const res = reply.raw;
    try {
      receiver.requestListener(request.raw, res);
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'slack receiver refused a request');
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      }
    }
  };
}

/** Adds the route; until `isReady()` (auth.test passed) it answers 503 so Slack retries. */
export function mountSlackRoute(router: Router, receiver: HTTPReceiver, isReady: () => boolean, logger: Logger): void {
  router.mount(async (app) => {
    // Leave the body unread: Bolt reads it to verify the signature.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    app.post(SLACK_EVENTS_PATH, forward(receiver, isReady, logger));
  });
}

/** Adds the OAuth install routes (the receiver must have been built with the OAuth options). */
export function mountSlackInstallRoutes(router: Router, receiver: HTTPReceiver, isReady: () => boolean, logger: Logger): void {
  const inner = forward(receiver, isReady, logger);
  const handler = (request: FastifyRequest, reply: FastifyReply): void => {
    // HEAD reaches GET routes; Bolt's install flow answers GET only.
    if (request.method !== 'GET') {
      void reply.code(405).header('allow', 'GET').send();
      return;
    }
    inner(request, reply);
  };
  router.mount(async (app) => {
    app.get(SLACK_INSTALL_PATH, handler);
    app.get(SLACK_OAUTH_REDIRECT_PATH, handler);
  });
}
