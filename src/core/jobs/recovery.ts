/**
 * Picking up what a previous process left. With the local scheduler (one process, SQLite),
 * start-up resumes unfinished jobs from the store. With BullMQ every job already has its task
 * in Redis, so start-up only runs a periodic sweep for tasks that went missing.
 */
import { AvatarError } from '../errors.js';
import { isFinal } from '../ports.js';
import type { TaskRun } from '../schedule/port.js';
import type { JobRecord } from '../store/port.js';
import { storedNumber } from '../schedule/render-time.js';
import type { JobContext } from './context.js';
import type { Delivery } from './delivery.js';

const PURGE_EVERY_MS = 3600_000;

/** A job whose submit was cut off by a stop or a crash: it may or may not be at the service. */
export function interrupted(): AvatarError {
  return new AvatarError(
    'SUBMIT_INTERRUPTED',
    'The bot restarted while sending this job to the avatar service, so it may not have arrived. Press Retry to send it again.',
  );
}

interface Recovery {
  /** Loads the learned ratio and spread, starts taking tasks, resumes (or sweeps for) unfinished jobs. */
  start(onTask: (task: TaskRun) => Promise<void>): Promise<void>;
  /** Stops the periodic purge and sweep. */
  stopTimers(): void;
  /** Delivers the final answers of a platform that waited for its adapter (local scheduler only). */
  deliverPending(platform: string): Promise<void>;
}

export function createRecovery(
  ctx: JobContext,
  parts: { delivery: Delivery; pump(): void; purge(t: number): Promise<number>; beginCaptions(job: JobRecord): void },
): Recovery {
  const { store, config, now, scheduler } = ctx;
  const { delivery } = parts;
  let purgeTimer: NodeJS.Timeout | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;

  /** The local scheduler only: every unfinished job gets what its stored state asks for. */
  async function resume(t: number): Promise<void> {
    let resumed = 0;
    for (const job of await store.unfinishedJobs()) {
      resumed += 1;
      if (job.state === 'queued' && job.submitStartedAt !== null) {
        // The process stopped during a submit: it may have been accepted.
        void ctx.track(delivery.fail(job, interrupted()));
      } else if (job.state === 'submitted') {
        ctx.schedule(job.id, Math.max(t, job.nextPollAt ?? t));
        // Its captions were being made when the last process stopped: made again meanwhile.
        if (job.captions === null) parts.beginCaptions(job);
      } else if (isFinal(job.state)) {
        void ctx.track(delivery.deliver(job.id, 'resume'));
      }
    }
    if (resumed > 0) ctx.log.info({ resumed }, 'resumed unfinished jobs');
  }

  /**
   * Durable scheduler only: a job whose task went missing (a gateway that died between storing
   * a job and enqueueing it, a task that exhausted its retries while Redis was away) gets a new
   * task. Overdue by more than `sweepMs` means no task is coming; a duplicate task is harmless.
   */
  async function sweep(): Promise<void> {
    if (ctx.stopped) return;
    const t = now();
    let rescheduled = 0;
    for (const job of await store.unfinishedJobs()) {
      // A delivery may legitimately take a while (a video download and upload on a busy
      // platform): only one whose lease ran out counts as lost.
      const overdue =
        (job.state === 'submitted' && (job.nextPollAt ?? t) < t - config.sweepMs) ||
        (isFinal(job.state) && !job.delivered && (job.deliveryStartedAt ?? job.updatedAt) < t - ctx.deliveryLeaseMs);
      if (overdue) {
        rescheduled += 1;
        ctx.schedule(job.id, t);
      }
    }
    if (rescheduled > 0) ctx.log.warn({ rescheduled }, 'sweep found jobs without a task and rescheduled them');
    parts.pump();
  }

  return {
    async start(onTask) {
      ctx.ratio = storedNumber(await store.getValue('render_ratio'), config.renderRatio);
      ctx.spread = storedNumber(await store.getValue('render_spread'), config.poll.spread);
      await scheduler.start((task) => ctx.track(onTask(task)));
      const t = now();
      // With a durable scheduler (BullMQ) every job already has its task in Redis, and a task
      // held by a dead worker is handed on: resuming here would race the live replicas.
      if (!scheduler.durable) {
        await resume(t);
      } else {
        sweepTimer = setInterval(() => void ctx.track(sweep()), config.sweepMs);
        sweepTimer.unref();
      }
      await parts.purge(t);
      purgeTimer = setInterval(() => {
        if (ctx.stopped) return;
        void ctx
          .track(parts.purge(now()))
          .catch((err: unknown) => ctx.log.warn({ err: String(err) }, 'purge failed; it runs again in an hour'));
      }, PURGE_EVERY_MS);
      purgeTimer.unref();
    },
    stopTimers() {
      if (purgeTimer !== undefined) clearInterval(purgeTimer);
      if (sweepTimer !== undefined) clearInterval(sweepTimer);
    },
    async deliverPending(platform) {
      for (const j of await store.unfinishedJobs()) {
        if (j.platform === platform && isFinal(j.state)) void ctx.track(delivery.deliver(j.id, 'resume'));
      }
    },
  };
}
