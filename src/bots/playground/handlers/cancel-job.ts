import { toAvatarError } from '../../../core/errors.js';
import type { PlaygroundContext } from '../context.js';
import { errorWords, httpStatusFor } from '../error-words.js';
import { sendError, sendJson } from '../http-util.js';
import { toPublicJob } from '../job-json.js';
import { ownJob } from './own-job.js';

/** POST /api/jobs/:id/cancel: stops one of this browser's jobs. */
export async function cancelJob(ctx: PlaygroundContext, id: string, browserId: string, res: import('node:http').ServerResponse): Promise<void> {
  if ((await ownJob(ctx, id, browserId)) === null) {
    sendError(res, 404, 'NOT_FOUND', 'No such video.');
    return;
  }
  try {
    const job = await ctx.core.jobs.cancel(id, browserId);
    const view = toPublicJob(job);
    ctx.hub.publish(browserId, { type: 'job', job: view });
    sendJson(res, 200, { job: view });
  } catch (err) {
    const e = toAvatarError(err);
    sendError(res, httpStatusFor(e.code), e.code, errorWords(e));
  }
}
