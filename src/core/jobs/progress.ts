/**
 * What a progress message says of a job, from its stored state: waiting in the bot's own line,
 * waiting in the avatar service's queue (no clock yet: nothing is being rendered), or
 * rendering, timed from when the service started and with its ETA from then.
 */
import type { ProgressUpdate } from '../ports.js';
import type { JobRecord } from '../store/port.js';

export function progressOf(job: JobRecord, queuePosition: number | undefined, t: number): ProgressUpdate {
  const elapsedMs = t - job.createdAt;
  if (job.state === 'queued')
    return queuePosition === undefined ? { state: 'queued', elapsedMs } : { state: 'queued', queuePosition, elapsedMs };
  if (job.taskStatus === 'IN_QUEUE' && job.renderStartedAt === null) return { state: 'waiting', elapsedMs };
  const from = job.renderStartedAt ?? job.submittedAt ?? job.createdAt;
  const update: ProgressUpdate = { state: 'rendering', elapsedMs, renderingMs: t - from };
  if (job.etaAt !== null) update.etaMs = job.etaAt - t;
  return update;
}
