/**
 * Mounts Bolt's HTTPReceiver on the bot's one HTTP server at `POST /slack/events`: the same
 * endpoint takes events, interactivity and slash commands. Bolt reads the raw body, checks
 * the v0 signature (401 when wrong or stale) and acks; nothing here reads the body first.
 * In OAuth mode the receiver's install flow is mounted too: `GET /slack/install` (redirects to
 * Slack's authorize page with a signed state) and `GET /slack/oauth_redirect` (checks the
 * state, exchanges the code and stores the installation).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Router } from '../../http/router.js';

export const SLACK_EVENTS_PATH = '/slack/events';
export const SLACK_INSTALL_PATH = '/slack/install';
export const SLACK_OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';

function forward(receiver: HTTPReceiver, isReady: () => boolean, logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!isReady()) {
      res.statusCode = 503;
      res.setHeader('retry-after', '5');
      res.end();
      return;
    }
    try {
      receiver.requestListener(req, res);
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
  router.add('POST', SLACK_EVENTS_PATH, forward(receiver, isReady, logger));
}

/** Adds the OAuth install routes (the receiver must have been built with the OAuth options). */
export function mountSlackInstallRoutes(router: Router, receiver: HTTPReceiver, isReady: () => boolean, logger: Logger): void {
  const inner = forward(receiver, isReady, logger);
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    // The router lets HEAD through to GET routes; Bolt's install flow answers GET only.
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    inner(req, res);
  };
  router.add('GET', SLACK_INSTALL_PATH, handler);
  router.add('GET', SLACK_OAUTH_REDIRECT_PATH, handler);
}
