/**
 * POST /avatar/webhook/<jobId>: the avatar service's call when a task ends. The bearer token is
 * compared in constant time by the engine; a wrong or missing one gets 401 and changes nothing.
 * The body is capped and otherwise ignored: a genuine call only wakes the job, which then reads
 * the status endpoint (the one place trusted for the video URL). Repeats are harmless.
 */
import type { Logger } from 'pino';
import type { Router } from './router.js';
import { readBody, sendJson } from './server.js';

const WEBHOOK_PREFIX = '/avatar/webhook/';
const MAX_WEBHOOK_BODY = 64 * 1024;
const JOB_ID = /^[0-9a-f-]{36}$/;

export interface WebhookTarget {
  wake(jobId: string, bearerToken: string | undefined): Promise<'ok' | 'unauthorized'>;
}

export function mountWebhookRoute(router: Router, target: WebhookTarget, deps: { logger: Logger }): void {
  router.add('*', `${WEBHOOK_PREFIX}*`, async (req, res, url) => {
    if (req.method !== 'POST') {
      req.resume();
      sendJson(res, 405, { error: 'method not allowed' }, { allow: 'POST' });
      return;
    }
    const body = await readBody(req, MAX_WEBHOOK_BODY).catch(() => null);
    if (body === null) {
      sendJson(res, 413, { error: 'body too large' }, { connection: 'close' });
      return;
    }
    const jobId = url.pathname.slice(WEBHOOK_PREFIX.length);
    const auth = req.headers.authorization;
    const token = typeof auth === 'string' && /^Bearer /i.test(auth) ? auth.slice(7).trim() : undefined;
    // Unknown job and wrong token answer the same, so the route reveals nothing about job ids.
    const result = JOB_ID.test(jobId) ? await target.wake(jobId, token) : 'unauthorized';
    if (result === 'unauthorized') {
      deps.logger.warn({ jobId: jobId.slice(0, 40) }, 'webhook refused: wrong or missing token');
      sendJson(res, 401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer' });
      return;
    }
    sendJson(res, 200, { ok: true });
  });
}
