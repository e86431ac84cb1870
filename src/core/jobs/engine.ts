/**
 * The job lifecycle: request -> media prepared -> queued -> submitted -> polled / woken by a
 * webhook -> final -> delivered once through the platform's ChatReply.
 *
 * Durability: every transition is written to the store before anything else happens. With the
 * local scheduler (one process, SQLite), start() resumes whatever a previous process left:
 * queued jobs are submitted, submitted jobs polled, final-but-undelivered jobs delivered. With
 * BullMQ (replicas on Redis) every job has its task in Redis instead, a dead worker's task is
 * handed on, and a periodic sweep re-enqueues any job whose task went missing.
 *
 * Across replicas, what must happen once is settled in the store, atomically: a submit slot is
 * claimed (claimSubmit), a final state is set once and takes the delivery lease with it.
 *
 * The parts share one context (context.ts): intake (request -> queued job), dispatch (caps,
 * places in line, submit), task-runner (a scheduled look: submit, poll, deliver), delivery
 * (answers, in order, once; finishing), recovery (start-up and sweeps).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AvatarError } from '../errors.js';
import type { JobRecord } from '../store/port.js';
import { toView } from './view.js';
import { isFinal, type ChatReply, type ConsentDesk, type JobDesk, type JobView, type QuotaView } from '../ports.js';
import { CONSENT_OFF } from '../consent.js';
import { createJobContext, type EngineStats, type JobEngineConfig, type JobEngineDeps } from './context.js';
import { createDelivery } from './delivery.js';
import { createCaptionsStep } from './captions.js';
import { createDispatch } from './dispatch.js';
import { createHandover, defaultHandover } from './handover.js';
import { createIntake } from './intake.js';
import { quotaView } from './quota.js';
import { createRecovery } from './recovery.js';
import { CANCELED_BY_REQUESTER, createRetention } from './retention.js';
import { createTaskRunner } from './task-runner.js';

export interface JobEngine extends JobDesk {
  registerReply(platform: string, reply: ChatReply): void;
  /** Resumes unfinished jobs and starts dispatching. */
  start(): Promise<void>;
  /** Stops timers, lets in-flight submits finish (bounded), aborts polls. Jobs resume on next start. */
  stop(): Promise<void>;
  /** A webhook call for a job: checks the token in constant time, then polls at once (on any replica). */
  wake(jobId: string, bearerToken: string | undefined): Promise<'ok' | 'unauthorized'>;
  onUpdate(listener: (job: JobView) => void): () => void;
  stats(): EngineStats;
  /** Seconds of rendering per second of audio, as learned so far. */
  renderRatio(): number;
  /** How far render times land from that ratio (log-normal sigma), as learned so far. */
  renderSpread(): number;
  quota(platform: string, requesterId: string, groupId: string): Promise<QuotaView>;
}

/** On stop, in-flight submits get this long before they are aborted (the job then reads "maybe sent"). */
const SUBMIT_GRACE_MS = 3000;
/**
 * The most stop() waits for in-flight work. Queued progress edits (a platform's rate-limited
 * REST queue after a burst) are not worth holding a SIGTERM for: final answers are re-delivered
 * on the next start because they are only marked delivered once the platform accepted them.
 */
const STOP_WAIT_MS = 4000;

function hashToken(t: string): Buffer {
  return createHash('sha256').update(t).digest();
}

export function createJobEngine(config: JobEngineConfig, deps: JobEngineDeps & { consent?: ConsentDesk }): JobEngine {
  const ctx = createJobContext(config, deps);
  const { store, now } = ctx;
  const handoverConfig = config.handover ?? defaultHandover;
  const captions = createCaptionsStep(ctx, handoverConfig);
  const handover = createHandover(ctx, handoverConfig, { captions, media: deps.media });
  // delivery finishes jobs, and a finished job frees a slot: it calls back into dispatch.
  const delivery = createDelivery(ctx, { pump: () => dispatch.pump(), captions, handover });
  const dispatch = createDispatch(ctx, delivery, captions);
  const runner = createTaskRunner(ctx, { delivery, dispatch });
  const retention = createRetention(ctx, { delivery });
  const recovery = createRecovery(ctx, { delivery, pump: dispatch.pump, purge: retention.purge, beginCaptions: captions.begin });
  // FACE_CONSENT (default off here: the core passes the configured desk).
  const consent = deps.consent ?? CONSENT_OFF;
  const intake = createIntake(ctx, { notifyProgress: delivery.notifyProgress, pump: dispatch.pump, consent });

  /** The job, if `requesterId` asked for it (NOT_FOUND / NOT_ALLOWED otherwise). */
  async function ownJob(id: string, requesterId: string, action: 'cancel' | 'retry' | 'delete'): Promise<JobRecord> {
    const job = await store.getJob(id);
    if (job === null) throw new AvatarError('NOT_FOUND', 'That job no longer exists.');
    if (job.requesterId !== requesterId) {
      throw new AvatarError('NOT_ALLOWED', `Only the person who asked for this video can ${action} it.`, {
        reason: 'NOT_REQUESTER',
        facts: { action },
      });
    }
    return job;
  }

  return {
    create: (request) => intake.create(request),
    async get(id) {
      const r = await store.getJob(id);
      return r === null ? null : toView(r);
    },
    async cancel(id, requesterId) {
      const job = await ownJob(id, requesterId, 'cancel');
      if (isFinal(job.state)) return toView(job);
      ctx.submitting.get(id)?.abort();
      const { done } = await delivery.finish(job, 'canceled', CANCELED_BY_REQUESTER);
      return toView(done ?? (await store.getJob(id)) ?? job);
    },
    async retry(id, requesterId, replyState) {
      const job = await ownJob(id, requesterId, 'retry');
      if (!isFinal(job.state) || job.state === 'completed') {
        const facts = { state: job.state };
        throw new AvatarError('NOT_ALLOWED', 'Only a job that failed can be retried.', { reason: 'NOT_FAILED', facts });
      }
      const kept = await store.getMedia(id);
      if (kept === null) throw new AvatarError('MEDIA_GONE', 'The files of that job are no longer kept. Please send them again.');
      const owner = {
        platform: job.platform,
        requesterId,
        groupId: job.groupId,
        replyTo: job.replyTo,
        replyState: replyState ?? job.replyState ?? undefined,
      };
      return intake.requeue(owner, kept, id, job.spokenText);
    },
    async discard(id, requesterId) {
      let job = await ownJob(id, requesterId, 'delete');
      if (!isFinal(job.state)) {
        ctx.submitting.get(id)?.abort();
        const { done, delivered } = await delivery.finish(job, 'canceled', CANCELED_BY_REQUESTER);
        await delivered;
        job = done ?? (await store.getJob(id)) ?? job;
      }
      if (job.discardedAt !== null) return toView(job);
      captions.drop(id);
      handover.forget(id);
      await store.releaseMedia(id);
      const t = now();
      // What stays is what the quotas and the logs need: who, where, when, the state.
      const cleared = await store.updateJob(id, {
        discardedAt: t,
        fileUrl: null,
        spokenText: null,
        captions: null,
        errorMessage: null,
        errorFacts: null,
        updatedAt: t,
      });
      ctx.jobLog(job).info('result deleted by its requester');
      if (cleared !== null) ctx.emit(cleared);
      return toView(cleared ?? job);
    },
    async listForRequester(platform, requesterId, limit) {
      return (await store.listForRequester(platform, requesterId, limit)).map(toView);
    },
    forgetPerson: (platform, requesterId) => retention.forgetPerson(platform, requesterId),
    registerReply(platform, reply) {
      ctx.replies.set(platform, reply);
      if (ctx.started && !ctx.scheduler.durable) void ctx.track(recovery.deliverPending(platform));
    },
    async start() {
      if (ctx.started) return;
      ctx.started = true;
      await recovery.start(runner.onTask);
      dispatch.pump();
    },
    async stop() {
      if (ctx.stopped) return;
      ctx.stopped = true;
      recovery.stopTimers();
      const schedulerStopped = ctx.scheduler.stop(STOP_WAIT_MS);
      ctx.pollAbort.abort();
      // In-flight submits get a grace period: an aborted submit leaves the job "maybe sent".
      const grace = setTimeout(() => {
        for (const a of ctx.submitting.values()) a.abort();
      }, SUBMIT_GRACE_MS);
      let capped: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...ctx.inFlight]),
        new Promise<void>((resolve) => {
          capped = setTimeout(() => {
            ctx.log.warn({ pending: ctx.inFlight.size }, 'stopping with work still in flight; it resumes on the next start');
            resolve();
          }, STOP_WAIT_MS);
        }),
      ]);
      clearTimeout(capped);
      clearTimeout(grace);
      await schedulerStopped;
    },
    async wake(jobId, bearerToken) {
      const job = await store.getJob(jobId);
      const expected = job?.webhookToken ?? null;
      // Compare digests so the comparison is constant-time whatever the lengths.
      const ok = expected !== null && bearerToken !== undefined && timingSafeEqual(hashToken(expected), hashToken(bearerToken));
      if (!ok || job === null) return 'unauthorized';
      ctx.stats.webhookWakes += 1;
      // Only a wake-up: the status endpoint alone is trusted for the result.
      if (job.state === 'submitted' && !ctx.stopped) ctx.schedule(job.id, now());
      return 'ok';
    },
    onUpdate(listener) {
      ctx.listeners.add(listener);
      return () => ctx.listeners.delete(listener);
    },
    stats: () => structuredClone(ctx.stats),
    renderRatio: () => ctx.ratio,
    renderSpread: () => ctx.spread,
    quota: (platform, requesterId, groupId) => quotaView(store, config.limits, { platform, requesterId, groupId }, now()),
  };
}
