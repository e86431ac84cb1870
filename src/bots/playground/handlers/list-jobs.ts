import type { PlaygroundContext } from '../context.js';
import type { PlaygroundHandler } from '../guard.js';
import { sendJson } from '../http-util.js';
import { toPublicJob } from '../job-json.js';

/** How many earlier jobs the page shows. */
const LIST_LIMIT = 20;

/** GET /api/jobs: this browser's jobs, newest first, from the job store. */
export function createListJobsHandler(ctx: PlaygroundContext): PlaygroundHandler {
  return async (_request, reply, browserId) => {
    const now = Date.now();
    const jobs = (await ctx.core.jobs.listForRequester('playground', browserId, LIST_LIMIT)).map((j) =>
      toPublicJob(j, undefined, now, ctx.handed.get(j.id)),
    );
    return sendJson(reply, 200, { jobs });
  };
}
