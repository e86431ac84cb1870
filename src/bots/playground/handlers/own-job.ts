import type { JobView } from '../../../core/ports.js';
import type { PlaygroundContext } from '../context.js';

/** The job when it is this browser's playground job; null otherwise (callers answer 404). */
export async function ownJob(ctx: PlaygroundContext, id: string, browserId: string): Promise<JobView | null> {
  const job = await ctx.core.jobs.get(id);
  if (job === null || job.platform !== 'playground' || job.requesterId !== browserId) return null;
  return job;
}
