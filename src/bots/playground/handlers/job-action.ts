import type { PlaygroundContext } from '../context.js';
import type { PlaygroundHandler } from '../guard.js';
import { sendError } from '../http-util.js';
import { cancelJob } from './cancel-job.js';
import { retryJob } from './retry-job.js';

const ACTION_PATH = /^\/api\/jobs\/([A-Za-z0-9_-]{1,100})\/(cancel|retry)$/;

/** POST /api/jobs/:id/(cancel|retry): the router matches by prefix, this picks the action. */
export function createJobActionHandler(ctx: PlaygroundContext): PlaygroundHandler {
  return async (_req, res, url, browserId) => {
    const m = ACTION_PATH.exec(url.pathname);
    const id = m?.[1];
    const action = m?.[2];
    if (id === undefined || action === undefined) {
      sendError(res, 404, 'NOT_FOUND', 'No such endpoint.');
      return;
    }
    if (action === 'cancel') await cancelJob(ctx, id, browserId, res);
    else await retryJob(ctx, id, browserId, res);
  };
}
