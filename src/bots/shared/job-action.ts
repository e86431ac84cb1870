/**
 * Cancel and Retry, as every adapter offers them (Discord and Slack buttons, the playground's
 * endpoints): the job must exist on this platform and belong to the person asking, then the
 * core is called. Each adapter turns the outcome into its own answer.
 */
import type { Logger } from 'pino';
import { AvatarError, toAvatarError } from '../../core/errors.js';
import type { AvatarCore, JobView, Platform } from '../../core/ports.js';

type JobActionKind = 'cancel' | 'retry';

export interface JobActionRequest {
  action: JobActionKind;
  jobId: string;
  requesterId: string;
  /** Retry only: the reply state the new job starts with (e.g. a fresh interaction token). */
  replyState?: string;
  /**
   * Called once the checks have passed and before the core is called: an adapter that must
   * acknowledge the click (Discord) does it here, so a refused click leaves the message alone.
   */
  acknowledge?: () => Promise<void>;
}

/**
 * `job`: the canceled job, or the new job of a retry. `refused` at stage `check`: nothing was
 * done yet (NOT_FOUND: no such job on this platform; NOT_ALLOWED: someone else's; or the
 * acknowledgement failed); at stage `core`: acknowledged, then the core refused.
 */
export type JobActionOutcome = { job: JobView } | { refused: AvatarError; stage: 'check' | 'core' };

export async function runJobAction(
  deps: { core: AvatarCore; logger: Logger; platform: Platform },
  req: JobActionRequest,
): Promise<JobActionOutcome> {
  let stage: 'check' | 'core' = 'check';
  try {
    const existing = await deps.core.jobs.get(req.jobId);
    if (existing === null || existing.platform !== deps.platform) {
      return { refused: new AvatarError('NOT_FOUND', `no ${deps.platform} job ${req.jobId}`), stage };
    }
    if (existing.requesterId !== req.requesterId) {
      return { refused: new AvatarError('NOT_ALLOWED', 'only the requester may do that'), stage };
    }
    await req.acknowledge?.();
    stage = 'core';
    const job =
      req.action === 'cancel'
        ? await deps.core.jobs.cancel(req.jobId, req.requesterId)
        : await deps.core.jobs.retry(req.jobId, req.requesterId, req.replyState);
    return { job };
  } catch (err) {
    const e = toAvatarError(err);
    const level = e.code === 'INTERNAL' ? 'error' : 'info';
    deps.logger[level]({ code: e.code, jobId: req.jobId, action: req.action, err: e.message }, `${deps.platform}: ${req.action} refused`);
    return { refused: e, stage };
  }
}
