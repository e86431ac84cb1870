import { runJobAction } from '../../shared/job-action.js';
import type { PlaygroundContext } from '../context.js';
import { errorWords, httpStatusFor } from '../error-words.js';
import type { PlaygroundHandler } from '../guard.js';
import { sendError, sendJson } from '../http-util.js';
import { toPublicJob } from '../job-json.js';

const ACTION_PATH = /^\/api\/jobs\/([A-Za-z0-9_-]{1,100})\/(cancel|retry)$/;

/**
 * POST /api/jobs/:id/cancel (stops one of this browser's jobs) and POST /api/jobs/:id/retry
 * (a new job from a failed one's kept files): the router matches by prefix, this picks the
 * action. Another browser's job is answered like a job that does not exist.
 */
export function createJobActionHandler(ctx: PlaygroundContext): PlaygroundHandler {
  return async (request, reply, browserId) => {
    const m = ACTION_PATH.exec(request.url.split('?')[0] ?? '');
    const id = m?.[1];
    const action = m?.[2];
    if (id === undefined || (action !== 'cancel' && action !== 'retry')) {
      return sendError(reply, 404, 'NOT_FOUND', 'No such endpoint.');
    }
    const outcome = await runJobAction(
      { core: ctx.core, logger: ctx.logger, platform: 'playground' },
      { action, jobId: id, requesterId: browserId },
    );
    if ('job' in outcome) {
      const view = toPublicJob(outcome.job);
      ctx.hub.publish(browserId, { type: 'job', job: view });
      return sendJson(reply, action === 'cancel' ? 200 : 201, { job: view });
    }
    const e = outcome.refused;
    if (outcome.stage === 'check' && (e.code === 'NOT_FOUND' || e.code === 'NOT_ALLOWED')) {
      return sendError(reply, 404, 'NOT_FOUND', 'No such video.');
    }
    return sendError(reply, httpStatusFor(e.code), e.code, errorWords(e));
  };
}
