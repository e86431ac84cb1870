/**
 * A scheduled look at a job (on any process, possibly twice): claim a slot and submit, poll the
 * service, or deliver, as the job's stored state says. A status answer maps to an outcome
 * through one table.
 */
import { AvatarError, toAvatarError, type ErrorCode } from '../errors.js';
import type { JobPatch, JobRecord } from '../store/port.js';
import { isFinal, type JobState, type StatusAnswer, type TaskStatus } from '../ports.js';
import { pollDelay } from '../schedule/policy.js';
import { renderEta, startedBetween } from '../schedule/render-time.js';
import type { TaskRun } from '../schedule/port.js';
import type { JobContext } from './context.js';
import type { Delivery } from './delivery.js';
import type { Dispatch } from './dispatch.js';
import { interrupted } from './recovery.js';
import { BAD_STATUS_ANSWER } from '../status-answer.js';

/** Poll errors that no retry can fix: the job ends at once. */
const FATAL_POLL_CODES: readonly ErrorCode[] = ['API_AUTH', 'API_CREDITS', 'API_NOT_FOUND'];

/**
 * A status answer that broke the API's contract (COMPLETED without a usable file URL, another
 * task's answer) would be the same on the next poll: the job ends as API_BAD_RESPONSE, as the
 * CLI does, instead of polling until the deadline.
 */
const isFatalPollError = (e: AvatarError): boolean =>
  FATAL_POLL_CODES.includes(e.code) || (e.code === 'API_BAD_RESPONSE' && e.reason === BAD_STATUS_ANSWER);

/** How a final task status other than COMPLETED ends the job. `message` is used when the service gives no reason. */
interface StatusEnding {
  state: JobState;
  code: ErrorCode;
  message: string;
}

/** The service's failing final statuses; any other but COMPLETED (IN_QUEUE, IN_PROGRESS) means: poll again. */
const STATUS_ENDINGS: Readonly<Partial<Record<TaskStatus, StatusEnding>>> = {
  FAILED: { state: 'failed', code: 'JOB_FAILED', message: 'The avatar service could not render the video.' },
  CANCELED: { state: 'canceled', code: 'JOB_CANCELED', message: 'The avatar service canceled the task.' },
  TIMED_OUT: { state: 'timed_out', code: 'JOB_TIMEOUT', message: 'The avatar service timed out.' },
};

/**
 * What a checked status answer does to a job: a final state and what to store with it, or null
 * (not final). The client has already refused a COMPLETED answer without a usable file URL.
 */
export function outcomeOf(st: StatusAnswer): { state: JobState; patch: JobPatch } | null {
  if (st.status === 'COMPLETED') {
    return { state: 'completed', patch: { taskStatus: st.status, fileUrl: st.fileUrl, outputDuration: st.outputDuration } };
  }
  const ending = STATUS_ENDINGS[st.status];
  if (ending === undefined) return null;
  return { state: ending.state, patch: { taskStatus: st.status, errorCode: ending.code, errorMessage: st.error ?? ending.message } };
}

interface TaskRunner {
  onTask(task: TaskRun): Promise<void>;
}

export function createTaskRunner(ctx: JobContext, parts: { delivery: Delivery; dispatch: Dispatch }): TaskRunner {
  const { store, config, now } = ctx;
  const { delivery, dispatch } = parts;
  const polling = new Set<string>();
  const timeoutSeconds = Math.round(config.timeoutMs / 1000);

  /** A scheduled look at a job: what to do follows from its stored state, so a repeat is harmless. */
  async function onTask(task: TaskRun): Promise<void> {
    const id = task.jobId;
    const job = await store.getJob(id);
    if (job === null || ctx.stopped) return;
    if (isFinal(job.state)) {
      await delivery.deliver(id, 'task');
      return;
    }
    if (job.state === 'submitted') {
      await poll(job);
      return;
    }
    const claim = await store.claimSubmit(id, config.limits, now(), task.owner);
    if (claim === 'ok') {
      ctx.lastPosition.delete(id);
      await dispatch.submit(job);
    } else if (claim === 'mine') {
      // This very task claimed the slot, then its process died mid-submit: the service may
      // have the job. Never send it twice on a guess; the person decides with Retry.
      await delivery.fail(job, interrupted());
    }
    // wait / full / gone: the next dispatch pass (a job finishing frees a slot) tries again.
  }

  async function poll(job: JobRecord): Promise<void> {
    if (polling.has(job.id) || job.taskId === null) return;
    polling.add(job.id);
    let st: StatusAnswer;
    try {
      ctx.stats.statusPolls += 1;
      st = await ctx.api.status(job.taskId, ctx.pollAbort.signal);
    } catch (err) {
      polling.delete(job.id);
      if (!ctx.stopped) await pollFailed(job, toAvatarError(err));
      return;
    }
    polling.delete(job.id);
    ctx.pollFailures.delete(job.id);
    if (ctx.stopped) return;
    const current = await store.getJob(job.id);
    if (current === null || current.state !== 'submitted') return;
    const t = now();
    const outcome = outcomeOf(st);
    if (outcome !== null) {
      await delivery.finishAndDeliver(current, outcome.state, outcome.patch);
      return;
    }
    if (current.deadlineAt !== null && t >= current.deadlineAt) {
      const facts = { seconds: timeoutSeconds };
      const late = new AvatarError('JOB_TIMEOUT', `The video was not ready within ${timeoutSeconds} s.`, { facts });
      await delivery.finishAndDeliver(current, 'timed_out', {
        taskStatus: st.status,
        errorCode: late.code,
        errorMessage: late.message,
        errorFacts: facts,
      });
      return;
    }
    const pollCount = current.pollCount + 1;
    // Rendering starts when the service says IN_PROGRESS, not at submit: time in its queue says
    // nothing about the render, so the ETA is anchored again from here. It is drawn again at
    // every poll from the ratio learnt so far, so jobs sent before it settled are polled where
    // they will really end.
    const started = st.status === 'IN_PROGRESS' && current.renderStartedAt === null;
    const renderStartedAt = started ? startedBetween(current.updatedAt, t) : current.renderStartedAt;
    const { etaAt, renderMs } = renderEta(
      { submittedAt: current.submittedAt ?? t, renderStartedAt, audioSeconds: current.audioSeconds },
      ctx.ratio,
    );
    let at = t + pollDelay({ now: t, etaAt, pollCount, renderMs, spread: ctx.spread }, ctx.pollPolicy, ctx.random);
    if (current.deadlineAt !== null) at = Math.min(at, current.deadlineAt);
    const patch = { taskStatus: st.status, pollCount, nextPollAt: at, updatedAt: t, etaAt, renderStartedAt };
    const next = await store.updateJob(job.id, patch, 'submitted');
    if (next === null) return;
    ctx.schedule(job.id, at);
    ctx.emit(next);
    delivery.notifyProgress(next);
  }

  /** A status poll that failed: end the job when no retry can help, else poll again after a backoff. */
  async function pollFailed(job: JobRecord, e: AvatarError): Promise<void> {
    ctx.countApiError(e.code);
    const current = await store.getJob(job.id);
    if (current === null || current.state !== 'submitted') return;
    if (isFatalPollError(e)) {
      await delivery.fail(current, e);
      return;
    }
    const t = now();
    if (current.deadlineAt !== null && t >= current.deadlineAt) {
      const message = `No final status within ${timeoutSeconds} s (last error: ${e.message})`;
      await delivery.fail(current, new AvatarError('JOB_TIMEOUT', message, { facts: { seconds: timeoutSeconds } }), 'timed_out');
      return;
    }
    const failures = (ctx.pollFailures.get(job.id) ?? 0) + 1;
    ctx.pollFailures.set(job.id, failures);
    const at = t + pollDelay({ now: t, etaAt: current.etaAt ?? t, pollCount: current.pollCount, failures }, ctx.pollPolicy, ctx.random);
    await store.updateJob(job.id, { nextPollAt: at, updatedAt: t });
    ctx.jobLog(job).warn({ code: e.code, failures, retryInMs: at - t }, 'status poll failed');
    ctx.schedule(job.id, at);
  }

  return { onTask };
}
