/**
 * Mounts Bolt's HTTPReceiver on the bot's one HTTP server at `POST /slack/events`: the same
 * endpoint takes events, interactivity and slash commands. Bolt reads the raw body, checks
 * the v0 signature (401 when wrong or stale) and acks; nothing here reads the body first.
 */
import type { HTTPReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Router } from '../../http/router.js';

export const SLACK_EVENTS_PATH = '/slack/events';

/** Adds the route; until `isReady()` (auth.test passed) it answers 503 so Slack retries. */
export function mountSlackRoute(router: Router, receiver: HTTPReceiver, isReady: () => boolean, logger: Logger): void {
  router.add('POST', SLACK_EVENTS_PATH, (req, res) => {
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
  });
}
