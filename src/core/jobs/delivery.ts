/**
 * Answers through the platform's ChatReply: progress edits, and the final answer sent once
 * (with a lease across replicas and a backoff when the platform refuses), in order per job.
 * Also the one way a job becomes final (finish), since a final state and its delivery lease are
 * written together.
 */
import { toAvatarError, type AvatarError } from '../errors.js';
import type { JobPatch, JobRecord } from '../store/port.js';
import { toView } from './view.js';
import { progressOf } from './progress.js';
import { isFinal, type JobState } from '../ports.js';
import { learnRatio, learnSpread, observedRatio } from '../schedule/render-time.js';
import type { CaptionsStep } from './captions.js';
import type { JobContext } from './context.js';
import type { Handover } from './handover.js';

const DELIVERY_BACKOFF_MS = [1000, 5000, 15_000, 60_000, 300_000];
/** After this many failed attempts a delivery waits for the next start instead of retrying forever. */
const MAX_DELIVERY_ATTEMPTS = 8;

/** Who is sending a final answer; see `deliver`. */
type DeliveryMode = 'owner' | 'task' | 'resume';

export interface Delivery {
  notifyProgress(job: JobRecord): void;
  deliver(jobId: string, mode: DeliveryMode): Promise<void>;
  finish(job: JobRecord, state: JobState, patch: JobPatch): Promise<{ done: JobRecord | null; delivered: Promise<void> }>;
  finishAndDeliver(job: JobRecord, state: JobState, patch: JobPatch): Promise<void>;
  fail(job: JobRecord, err: AvatarError, state?: JobState): Promise<void>;
}

export function createDelivery(ctx: JobContext, hooks: { pump(): void; captions: CaptionsStep; handover: Handover }): Delivery {
  const { store, now, replies, stats } = ctx;
  const replyChains = new Map<string, Promise<void>>();
  const deliveryAttempts = new Map<string, number>();

  /** What was kept in memory for a job's answer, once it went out. */
  function forget(jobId: string): void {
    hooks.handover.forget(jobId);
    hooks.captions.drop(jobId);
  }

  /** Runs reply calls for one job strictly in order, so a late progress edit never overwrites the result. */
  function inReplyOrder(jobId: string, fn: () => Promise<void>): Promise<void> {
    const prev = replyChains.get(jobId) ?? Promise.resolve();
    // After stop() the store may be closed: queued reply calls end quietly instead of touching it.
    const guarded = async (): Promise<void> => {
      if (!ctx.stopped) await fn();
    };
    const next = prev.then(guarded, guarded);
    replyChains.set(jobId, next);
    next
      .finally(() => {
        if (replyChains.get(jobId) === next) replyChains.delete(jobId);
      })
      .catch(() => undefined); // the caller handles `next` itself; this branch must not be unhandled
    return next;
  }

  function notifyProgress(job: JobRecord): void {
    const reply = replies.get(job.platform);
    if (reply === undefined || ctx.stopped) return;
    const t = now();
    const position = job.state === 'queued' ? ctx.lastPosition.get(job.id) : undefined;
    void ctx.track(
      inReplyOrder(job.id, async () => {
        const fresh = await store.getJob(job.id);
        if (fresh === null || isFinal(fresh.state)) return; // the result is on its way: skip a stale progress
        try {
          const s = await reply.progress(toView(fresh), progressOf(fresh, position, t));
          if (typeof s === 'string') await store.updateJob(job.id, { replyState: s, updatedAt: now() });
        } catch (err) {
          ctx.jobLog(job).warn({ err: toAvatarError(err).message }, 'progress update failed');
        }
      }),
    );
  }

  /**
   * Sends a final answer once. `owner`: the path that moved the job to its final state (it took
   * the delivery lease in that same write). `task`: a scheduled look at a final job, possibly on
   * another replica; it stays away while another attempt's lease is fresh. `resume`: start-up of
   * a single process, where no other attempt can be alive. Any attempt that is not the owner's
   * and finds an earlier attempt begun asks the adapter whether the answer is already shown.
   * Resolves once the answer was delivered or a retry was scheduled (a task awaits it, so a
   * crash re-runs it).
   */
  async function deliver(jobId: string, mode: DeliveryMode): Promise<void> {
    const job = await store.getJob(jobId);
    if (job === null || !isFinal(job.state) || job.delivered || ctx.stopped) return;
    const reply = replies.get(job.platform);
    if (reply === undefined) {
      ctx.jobLog(job).warn('no adapter registered for this platform: the answer waits for the next start');
      return;
    }
    // The hand-over (fetch, tag, maybe burn) is made before this job's turn in its reply order,
    // and once: a retry finds it made. Skipped where another replica holds a fresh lease.
    const leased = mode === 'task' && job.deliveryStartedAt !== null && now() - job.deliveryStartedAt < ctx.deliveryLeaseMs;
    if (job.state === 'completed' && job.discardedAt === null && !leased) await hooks.handover.prepare(job);
    await ctx.track(
      inReplyOrder(jobId, async () => {
        const fresh = await store.getJob(jobId);
        if (fresh === null || fresh.delivered) return;
        const l = ctx.jobLog(fresh);
        const begun = fresh.deliveryStartedAt;
        // Another replica finished this job a moment ago and is sending its answer right now.
        if (mode === 'task' && begun !== null && now() - begun < ctx.deliveryLeaseMs) return;
        try {
          const view = toView(fresh);
          if (fresh.discardedAt !== null) {
            // Its person deleted the result before the answer went out: there is nothing to send.
            const t = now();
            const done = await store.updateJob(jobId, { delivered: true, deliveredAt: t, updatedAt: t });
            forget(jobId);
            l.info({ state: fresh.state }, 'result deleted before its answer: nothing sent');
            if (done !== null) ctx.emit(done);
            return;
          }
          if (mode !== 'owner') {
            // An earlier attempt began and never recorded its end: its process may have died just
            // after the platform accepted the answer. Where the adapter can look, look first.
            if (begun !== null && reply.answered !== undefined && (await reply.answered(view))) {
              const t = now();
              const done = await store.updateJob(jobId, { delivered: true, deliveredAt: t, updatedAt: t });
              forget(jobId);
              l.info({ state: fresh.state }, 'answer was already delivered by an earlier attempt');
              if (done !== null) ctx.emit(done);
              return;
            }
            await store.updateJob(jobId, { deliveryStartedAt: now(), updatedAt: now() });
          }
          const s =
            fresh.state === 'completed' && fresh.fileUrl !== null
              ? await reply.result(view, {
                  fileUrl: fresh.fileUrl,
                  outputDuration: fresh.outputDuration,
                  preview: fresh.preview,
                  ...(await hooks.handover.prepare(fresh)),
                })
              : await reply.error(view, {
                  code: fresh.errorCode ?? 'INTERNAL',
                  message: fresh.errorMessage ?? 'The job ended without a video.',
                  ...(fresh.errorFacts === null ? {} : { facts: fresh.errorFacts }),
                });
          const t = now();
          const done = await store.updateJob(jobId, {
            delivered: true,
            deliveredAt: t,
            updatedAt: t,
            ...(typeof s === 'string' ? { replyState: s } : {}),
          });
          stats.deliveries += 1;
          deliveryAttempts.delete(jobId);
          forget(jobId);
          l.info({ state: fresh.state }, 'answer delivered');
          if (done !== null) ctx.emit(done);
        } catch (err) {
          if (ctx.stopped) return; // the next start delivers it (it was not marked delivered)
          stats.deliveryFailures += 1;
          const n = (deliveryAttempts.get(jobId) ?? 0) + 1;
          deliveryAttempts.set(jobId, n);
          if (n >= MAX_DELIVERY_ATTEMPTS) {
            l.error({ err: toAvatarError(err).message, attempts: n }, 'delivery keeps failing: giving up until the next start');
            deliveryAttempts.delete(jobId);
            return;
          }
          const wait = DELIVERY_BACKOFF_MS[Math.min(n - 1, DELIVERY_BACKOFF_MS.length - 1)] ?? 300_000;
          l.warn({ err: toAvatarError(err).message, attempt: n, retryInMs: wait }, 'delivery failed, will retry');
          // Hand the lease back (as expired, so the retry still looks before re-sending).
          await store.updateJob(jobId, { deliveryStartedAt: now() - ctx.deliveryLeaseMs }).catch(() => null);
          if (!ctx.stopped) ctx.schedule(jobId, now() + wait);
        }
      }),
    );
  }

  /**
   * Moves a job to a final state once (guarded on its current state), then delivers. Resolves
   * with the final record (null when another path got there first) and the delivery.
   */
  async function finish(job: JobRecord, state: JobState, patch: JobPatch): Promise<{ done: JobRecord | null; delivered: Promise<void> }> {
    // A final state is final: e.g. a submit aborted by Cancel must not turn "canceled" into "failed".
    if (isFinal(job.state)) return { done: null, delivered: Promise.resolve() };
    const t = now();
    // The delivery lease is taken in the same write: a task on another replica that sees the job
    // final a millisecond later leaves the answer to this path.
    const final: JobPatch = { ...patch, state, finishedAt: t, updatedAt: t, nextPollAt: null, deliveryStartedAt: t };
    const done = await store.updateJob(job.id, final, job.state);
    if (done === null) return { done: null, delivered: Promise.resolve() };
    ctx.unschedule(job.id);
    ctx.pollFailures.delete(job.id);
    ctx.lastPosition.delete(job.id);
    // Completed: the captions (bounded wait) are the last use of the media. Otherwise keep it a while for Retry.
    if (state === 'completed') {
      await hooks.captions.settle(done);
      await store.releaseMedia(job.id);
    } else {
      hooks.captions.drop(job.id);
      await store.releaseMedia(job.id, t + ctx.config.retentionMs);
    }
    if (state === 'completed' && done.submittedAt !== null && done.audioSeconds > 0) {
      // From the start of rendering when the service told it: its queue is not render speed.
      const observed = observedRatio(
        { submittedAt: done.submittedAt, renderStartedAt: done.renderStartedAt, audioSeconds: done.audioSeconds },
        t,
      );
      // The spread first: it is how far this job landed from the ratio it was planned with.
      ctx.spread = learnSpread(ctx.spread, ctx.ratio, observed);
      ctx.ratio = learnRatio(ctx.ratio, observed);
      await store.setValue('render_ratio', String(ctx.ratio));
      await store.setValue('render_spread', String(ctx.spread));
    }
    const l = ctx.jobLog(done);
    if (state === 'completed') l.info({ taskId: done.taskId, ms: t - done.createdAt }, 'job completed');
    else l.warn({ state, code: done.errorCode, message: done.errorMessage }, 'job ended without a video');
    ctx.emit(done);
    const delivered = deliver(done.id, 'owner');
    hooks.pump();
    return { done, delivered };
  }

  /** finish(), then waits for the answer to be delivered (or its retry scheduled): a task awaits it. */
  async function finishAndDeliver(job: JobRecord, state: JobState, patch: JobPatch): Promise<void> {
    const { delivered } = await finish(job, state, patch);
    await delivered;
  }

  /** Ends a job with an error; see finishAndDeliver. */
  function fail(job: JobRecord, err: AvatarError, state: JobState = 'failed'): Promise<void> {
    const facts = Object.keys(err.facts).length > 0 ? err.facts : null;
    return finishAndDeliver(job, state, { errorCode: err.code, errorMessage: err.message, errorFacts: facts });
  }

  return { notifyProgress, deliver, finish, finishAndDeliver, fail };
}
