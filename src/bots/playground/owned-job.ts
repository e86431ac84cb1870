import type { JobView } from '../../core/ports.js';
import type { PlaygroundContext } from './context.js';
import { errorWords, httpStatusFor } from './error-words.js';
import type { PlaygroundHandler } from './guard.js';
import { sendError } from './http-util.js';

const JOB_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * One of this browser's jobs, not deleted; null for anything else (no such job, another
 * browser's, another platform's, deleted), which every file route answers alike.
 */
export async function ownedJob(ctx: PlaygroundContext, id: string, browserId: string): Promise<JobView | null> {
  if (!JOB_ID.test(id)) return null;
  const job = await ctx.core.jobs.get(id);
  if (job === null || job.platform !== 'playground' || job.requesterId !== browserId || job.discardedAt !== null) return null;
  return job;
}

/** NOT_FOUND in the shared words: what another browser's job is answered with too. */
export function notFound(reply: Parameters<PlaygroundHandler>[1]) {
  return sendError(reply, httpStatusFor('NOT_FOUND'), 'NOT_FOUND', errorWords({ code: 'NOT_FOUND' }));
}
