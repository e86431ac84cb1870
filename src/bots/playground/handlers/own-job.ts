import type { JobView } from '../../../core/ports.js';
import type { PlaygroundContext } from '../context.js';

/** The job when it is this browser's playground job; null otherwise (callers answer 404). */
export function ownJob(ctx: PlaygroundContext, id: string, browserId: string): JobView | null {
  const job = ctx.core.jobs.get(id);
  if (job === null || job.platform !== 'playground' || job.requesterId !== browserId) return null;
  return job;
}
