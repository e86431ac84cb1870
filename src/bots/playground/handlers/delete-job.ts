import { toAvatarError } from '../../../core/errors.js';
import type { PlaygroundContext } from '../context.js';
import { errorWords, httpStatusFor } from '../error-words.js';
import type { PlaygroundHandler } from '../guard.js';
import { sendError, sendJson } from '../http-util.js';
import { toPublicJob } from '../job-json.js';
import { notFound } from '../owned-job.js';

const JOB_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * DELETE /api/jobs/:id: "Delete" on one of this browser's videos. A running one is canceled
 * first (its own event says so), then the core drops its files, link and typed text; the job is
 * answered with `discardedAt` set and sent to every open tab of this browser, which drop it.
 * Another browser's job is answered like one that does not exist (404): a browser learns
 * nothing of others' ids, as with Cancel and Retry. Deleting twice answers 200 again.
 */
export function createDeleteJobHandler(ctx: PlaygroundContext): PlaygroundHandler {
  return async (request, reply, browserId) => {
    const id = (request.params as { id?: string }).id ?? '';
    if (!JOB_ID.test(id)) return notFound(reply);
    try {
      const existing = await ctx.core.jobs.get(id);
      if (existing === null || existing.platform !== 'playground' || existing.requesterId !== browserId) return notFound(reply);
      const view = toPublicJob(await ctx.core.jobs.discard(id, browserId));
      // The tagged copy and its caption files go with the job.
      ctx.handed.drop(id);
      ctx.hub.publish(browserId, { type: 'job', job: view });
      return sendJson(reply, 200, { job: view });
    } catch (err) {
      const e = toAvatarError(err);
      if (e.code === 'INTERNAL') throw err;
      ctx.logger.info({ code: e.code, jobId: id }, 'playground: delete refused');
      // The core's own check (a job forgotten meanwhile) says the same as the one above.
      if (e.code === 'NOT_ALLOWED') return notFound(reply);
      return sendError(reply, httpStatusFor(e.code), e.code, errorWords(e));
    }
  };
}
