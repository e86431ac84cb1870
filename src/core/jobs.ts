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
 */
import { randomBytes, randomUUID, createHash, timingSafeEqual } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { CoreConfig } from './config.js';
import { AvatarError, toAvatarError, type ErrorCode } from './errors.js';
import { toView } from './job-view.js';
import { bytesInput, loadMedia } from './media-input.js';
import type {
  AvatarApi,
  AvatarCore,
  AvatarRequest,
  ChatReply,
  JobDesk,
  JobState,
  JobView,
  PreparedMedia,
  SniffResult,
  MediaInput,
  StatusAnswer,
  QuotaView,
} from './ports.js';
import { isFinal, voiceFile } from './ports.js';
import { estimateEta, learnRatio, nextPollDelay, type PollPlan, ETA_OVERHEAD_MS } from './schedule.js';
import type { InsertOutcome, JobPatch, JobRecord, JobStore } from './job-store.js';
import { createLocalScheduler, type JobScheduler, type TaskKind, type TaskRun } from './scheduler.js';
import type { Limiter } from './limiter.js';

/** What the engine needs from media preparation (src/core/media implements it). */
export interface MediaPreparation {
  prepare(image: Uint8Array, audio: Uint8Array): Promise<PreparedMedia>;
  prepareImage(bytes: Uint8Array): Promise<{ data: Uint8Array; type: string }>;
  sniff(bytes: Uint8Array): Promise<SniffResult>;
}

export interface JobEngineConfig {
  /** A submitted job not final after this long ends as timed_out. */
  timeoutMs: number;
  poll: PollPlan;
  /** Seconds of rendering per second of audio before any job was measured. */
  renderRatio: number;
  /** How long a failed job's media is kept for Retry. */
  retentionMs: number;
  /** Concurrency caps, queue length and daily quotas, as configured. */
  limits: CoreConfig['limits'];
  media: AvatarCore['limits'];
  /** Base URL for webhooks (`<publicUrl>/avatar/webhook/<jobId>`); undefined: poll only. */
  publicUrl: string | undefined;
  /** With webhooks: the safety-net poll interval. */
  webhookFallbackMs: number;
  preview: boolean;
  /** Durable scheduler only: how often (and how overdue) jobs are checked for a missing task. */
  sweepMs: number;
}

export interface JobEngineDeps {
  store: JobStore;
  /** Where polls and submits are scheduled (default: a timer heap in this process). */
  scheduler?: JobScheduler;
  api: AvatarApi;
  media: MediaPreparation;
  /** Bounds how many requests are downloaded and prepared at once (default: unbounded). */
  intake?: Limiter;
  logger: Logger;
  now?: () => number;
  random?: () => number;
}

export interface EngineStats {
  statusPolls: number;
  submits: number;
  deliveries: number;
  deliveryFailures: number;
  webhookWakes: number;
  apiErrors: Record<string, number>;
}

export interface JobEngine extends JobDesk {
  registerReply(platform: string, reply: ChatReply): void;
  /** Resumes unfinished jobs and starts dispatching. */
  start(): Promise<void>;
  /** Stops timers, lets in-flight submits finish (bounded), aborts polls. Jobs resume on next start. */
  stop(): Promise<void>;
  /** A webhook call for a job: checks the token in constant time, then polls at once (on any replica). */
  wake(jobId: string, bearerToken: string | undefined): Promise<'ok' | 'unauthorized'>;
  /** Resolves when the job is final (or rejects after `timeoutMs`). */
  waitForFinal(jobId: string, timeoutMs: number): Promise<JobView>;
  onUpdate(listener: (job: JobView) => void): () => void;
  stats(): EngineStats;
  /** Queue position (1-based) of a queued job not yet sent, else undefined. */
  queuePosition(jobId: string): number | undefined;
  /** Seconds of rendering per second of audio, as learned so far. */
  renderRatio(): number;
  quota(platform: string, requesterId: string, groupId: string): Promise<QuotaView>;
}

const FATAL_POLL_CODES: readonly ErrorCode[] = ['API_AUTH', 'API_CREDITS', 'API_NOT_FOUND'];
const DELIVERY_BACKOFF_MS = [1000, 5000, 15_000, 60_000, 300_000];
/** After this many failed attempts a delivery waits for the next start instead of retrying forever. */
const MAX_DELIVERY_ATTEMPTS = 8;
/** On stop, in-flight submits get this long before they are aborted (the job then reads "maybe sent"). */
const SUBMIT_GRACE_MS = 3000;
/**
 * The most stop() waits for in-flight work. Queued progress edits (a platform's rate-limited
 * REST queue after a burst) are not worth holding a SIGTERM for: final answers are re-delivered
 * on the next start because they are only marked delivered once the platform accepted them.
 */
const STOP_WAIT_MS = 4000;
/** How much of the waiting line one dispatch pass looks at (positions beyond are not announced). */
const WAITING_SCAN = 1000;

function hashToken(t: string): Buffer {
  return createHash('sha256').update(t).digest();
}

function startOfUtcDay(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

export function createJobEngine(config: JobEngineConfig, deps: JobEngineDeps): JobEngine {
  const { store, api, media } = deps;
  const intake: Limiter = deps.intake ?? { run: (fn) => fn() };
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const log = deps.logger;
  const replies = new Map<string, ChatReply>();
  const listeners = new Set<(job: JobView) => void>();
  const pollFailures = new Map<string, number>();
  const deliveryAttempts = new Map<string, number>();
  const replyChains = new Map<string, Promise<void>>();
  const lastPosition = new Map<string, number>();
  const inFlight = new Set<Promise<unknown>>();
  const polling = new Set<string>();
  const scheduler = deps.scheduler ?? createLocalScheduler(now);
  /**
   * How long an attempt to send an answer keeps other replicas' tasks away. A video upload can
   * take a while; a crash mid-delivery is rare: the answer then waits this long, at most.
   */
  const deliveryLeaseMs = Math.max(2 * config.sweepMs, 15_000);
  const submitting = new Map<string, AbortController>();
  const pollAbort = new AbortController();
  // Every in-flight poll listens on this one signal (combined per request): hundreds is normal.
  setMaxListeners(0, pollAbort.signal);
  const stats: EngineStats = { statusPolls: 0, submits: 0, deliveries: 0, deliveryFailures: 0, webhookWakes: 0, apiErrors: {} };
  let ratio = config.renderRatio;
  let started = false;
  let stopped = false;
  let pumping = false;
  let pumpAgain = false;
  let purgeTimer: NodeJS.Timeout | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;

  const timers = {
    schedule: (id: string, at: number, kind: TaskKind = 'check') => scheduler.schedule(id, at, kind),
    cancel: (id: string) => scheduler.cancel(id),
  };

  function track<T>(p: Promise<T>): Promise<T> {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  function jobLog(job: { id: string; platform: string }): Logger {
    return log.child({ jobId: job.id, platform: job.platform });
  }

  function emit(job: JobRecord): void {
    const view = toView(job);
    for (const l of listeners) {
      try {
        l(view);
      } catch (err) {
        log.error({ err }, 'job listener threw');
      }
    }
  }

  function countApiError(code: string): void {
    stats.apiErrors[code] = (stats.apiErrors[code] ?? 0) + 1;
  }

  /** Runs reply calls for one job strictly in order, so a late progress edit never overwrites the result. */
  function inReplyOrder(jobId: string, fn: () => Promise<void>): Promise<void> {
    const prev = replyChains.get(jobId) ?? Promise.resolve();
    // After stop() the store may be closed: queued reply calls end quietly instead of touching it.
    const guarded = async (): Promise<void> => {
      if (!stopped) await fn();
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

  async function saveReplyState(jobId: string, state: string | void): Promise<void> {
    if (typeof state === 'string') await store.updateJob(jobId, { replyState: state, updatedAt: now() });
  }

  function notifyProgress(job: JobRecord): void {
    const reply = replies.get(job.platform);
    if (reply === undefined || stopped) return;
    const t = now();
    const position = job.state === 'queued' ? lastPosition.get(job.id) : undefined;
    void track(
      inReplyOrder(job.id, async () => {
        const fresh = await store.getJob(job.id);
        if (fresh === null || isFinal(fresh.state)) return; // the result is on its way: skip a stale progress
        try {
          const s = await reply.progress(toView(fresh), {
            state: fresh.state === 'queued' ? 'queued' : 'rendering',
            queuePosition: position,
            elapsedMs: t - fresh.createdAt,
            etaMs: fresh.etaAt === null ? undefined : fresh.etaAt - t,
          });
          await saveReplyState(job.id, s);
        } catch (err) {
          jobLog(job).warn({ err: toAvatarError(err).message }, 'progress update failed');
        }
      }),
    );
  }

  /** Resolves once the answer was delivered or a retry was scheduled (a task awaits it, so a crash re-runs it). */
  /**
   * Sends a final answer once. `owner`: the path that moved the job to its final state (it took
   * the delivery lease in that same write). `task`: a scheduled look at a final job, possibly on
   * another replica; it stays away while another attempt's lease is fresh. `resume`: start-up of
   * a single process, where no other attempt can be alive. Any attempt that is not the owner's
   * and finds an earlier attempt begun asks the adapter whether the answer is already shown.
   */
  async function deliver(jobId: string, mode: 'owner' | 'task' | 'resume'): Promise<void> {
    const job = await store.getJob(jobId);
    if (job === null || !isFinal(job.state) || job.delivered || stopped) return;
    const reply = replies.get(job.platform);
    if (reply === undefined) {
      jobLog(job).warn('no adapter registered for this platform: the answer waits for the next start');
      return;
    }
    await track(
      inReplyOrder(jobId, async () => {
        const fresh = await store.getJob(jobId);
        if (fresh === null || fresh.delivered) return;
        const l = jobLog(fresh);
        const begun = fresh.deliveryStartedAt;
        // Another replica finished this job a moment ago and is sending its answer right now.
        if (mode === 'task' && begun !== null && now() - begun < deliveryLeaseMs) return;
        try {
          const view = toView(fresh);
          if (mode !== 'owner') {
            // An earlier attempt began and never recorded its end: its process may have died just
            // after the platform accepted the answer. Where the adapter can look, look first.
            if (begun !== null && reply.answered !== undefined && (await reply.answered(view))) {
              const t = now();
              const done = await store.updateJob(jobId, { delivered: true, deliveredAt: t, updatedAt: t });
              l.info({ state: fresh.state }, 'answer was already delivered by an earlier attempt');
              if (done !== null) emit(done);
              return;
            }
            await store.updateJob(jobId, { deliveryStartedAt: now(), updatedAt: now() });
          }
          const s =
            fresh.state === 'completed' && fresh.fileUrl !== null
              ? await reply.result(view, { fileUrl: fresh.fileUrl, outputDuration: fresh.outputDuration, preview: fresh.preview })
              : await reply.error(view, {
                  code: fresh.errorCode ?? 'INTERNAL',
                  message: fresh.errorMessage ?? 'The job ended without a video.',
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
          l.info({ state: fresh.state }, 'answer delivered');
          if (done !== null) emit(done);
        } catch (err) {
          if (stopped) return; // the next start delivers it (it was not marked delivered)
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
          await store.updateJob(jobId, { deliveryStartedAt: now() - deliveryLeaseMs }).catch(() => null);
          if (!stopped) timers.schedule(jobId, now() + wait);
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
    const done = await store.updateJob(job.id, { ...patch, state, finishedAt: t, updatedAt: t, nextPollAt: null, deliveryStartedAt: t }, job.state);
    if (done === null) return { done: null, delivered: Promise.resolve() };
    timers.cancel(job.id);
    pollFailures.delete(job.id);
    lastPosition.delete(job.id);
    // Completed: the media is no longer needed. Otherwise keep it a while for Retry.
    if (state === 'completed') await store.releaseMedia(job.id);
    else await store.releaseMedia(job.id, t + config.retentionMs);
    if (state === 'completed' && done.submittedAt !== null && done.audioSeconds > 0) {
      const observed = (t - done.submittedAt - ETA_OVERHEAD_MS) / 1000 / done.audioSeconds;
      ratio = learnRatio(ratio, observed);
      await store.setValue('render_ratio', String(ratio));
    }
    const l = jobLog(done);
    if (state === 'completed') l.info({ taskId: done.taskId, ms: t - done.createdAt }, 'job completed');
    else l.warn({ state, code: done.errorCode, message: done.errorMessage }, 'job ended without a video');
    emit(done);
    const delivered = deliver(done.id, 'owner');
    pump();
    return { done, delivered };
  }

  /** finish(), then waits for the answer to be delivered (or its retry scheduled): a task awaits it. */
  async function finishAndDeliver(job: JobRecord, state: JobState, patch: JobPatch): Promise<void> {
    const { delivered } = await finish(job, state, patch);
    await delivered;
  }

  /** Ends a job with an error; see finishAndDeliver. */
  function fail(job: JobRecord, err: AvatarError, state: JobState = 'failed'): Promise<void> {
    return finishAndDeliver(job, state, { errorCode: err.code, errorMessage: err.message });
  }

  /**
   * Durable scheduler only: a job whose task went missing (a gateway that died between storing
   * a job and enqueueing it, a task that exhausted its retries while Redis was away) gets a new
   * task. Overdue by more than `sweepMs` means no task is coming; a duplicate task is harmless.
   */
  async function sweep(): Promise<void> {
    if (stopped) return;
    const t = now();
    let rescheduled = 0;
    for (const job of await store.unfinishedJobs()) {
      // A delivery may legitimately take a while (a video download and upload on a busy
      // platform): only one whose lease ran out counts as lost.
      const overdue =
        (job.state === 'submitted' && (job.nextPollAt ?? t) < t - config.sweepMs) ||
        (isFinal(job.state) && !job.delivered && (job.deliveryStartedAt ?? job.updatedAt) < t - deliveryLeaseMs);
      if (overdue) {
        rescheduled += 1;
        timers.schedule(job.id, t);
      }
    }
    if (rescheduled > 0) log.warn({ rescheduled }, 'sweep found jobs without a task and rescheduled them');
    pump();
  }

  /** Delivers the final answers of a platform that waited for its adapter (local scheduler only). */
  async function deliverPending(platform: string): Promise<void> {
    for (const j of await store.unfinishedJobs()) if (j.platform === platform && isFinal(j.state)) void track(deliver(j.id, 'resume'));
  }

  /** Runs the dispatcher once, or once more after the current run when asked meanwhile. */
  function pump(): void {
    if (!started || stopped) return;
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    void track(
      (async () => {
        try {
          do {
            pumpAgain = false;
            await dispatchQueued();
          } while (pumpAgain && !stopped);
        } catch (err) {
          log.error({ err: toAvatarError(err).message }, 'dispatch failed; the next finished or new job retries it');
        } finally {
          pumping = false;
        }
      })(),
    );
  }

  /**
   * Picks the waiting jobs the caps would let through and schedules a task for each: the task
   * claims the slot atomically in the store (exact across replicas), so this pass only has to
   * be a good guess. The others are told their place in line.
   */
  async function dispatchQueued(): Promise<void> {
    const active = await store.countActive();
    const waiting: JobRecord[] = [];
    for (const job of await store.waitingJobs(WAITING_SCAN)) {
      const rk = `${job.platform}:${job.requesterId}`;
      const gk = `${job.platform}:${job.groupId}`;
      const byPerson = active.byRequester.get(rk) ?? 0;
      const byGroup = job.groupId === '' ? 0 : (active.byGroup.get(gk) ?? 0);
      if (
        active.total >= config.limits.inFlight ||
        byPerson >= config.limits.perPerson ||
        byGroup >= config.limits.perGroup
      ) {
        waiting.push(job);
        continue;
      }
      active.total += 1;
      active.byRequester.set(rk, byPerson + 1);
      active.byGroup.set(gk, byGroup + 1);
      lastPosition.delete(job.id);
      if (scheduler.durable) {
        // Any worker may send it: the task claims the slot where it runs (and a task re-run
        // after its worker died recognises its own claim).
        timers.schedule(job.id, now(), 'submit');
      } else if ((await store.claimSubmit(job.id, config.limits, now(), 'local')) === 'ok') {
        // One process: claim here and now, so a job with a free slot never counts as waiting.
        void track(submit(job));
      }
    }
    waiting.forEach((job, i) => {
      const position = i + 1;
      if (lastPosition.get(job.id) !== position) {
        lastPosition.set(job.id, position);
        notifyProgress(job);
      }
    });
  }

  /**
   * With webhooks the service tells us when a task ends, so polls are only a safety net (a lost
   * or refused webhook), spaced by `webhookFallbackMs`. Without, the ETA-driven schedule.
   * Failed polls back off the same way in both modes.
   */
  function pollDelay(p: { now: number; etaAt: number; pollCount: number; failures?: number }): number {
    if (config.publicUrl !== undefined && (p.failures ?? 0) === 0) {
      // The first safety poll waits for twice the expected render: a webhook on time makes it moot.
      const late = p.pollCount === 0 ? Math.max(0, p.etaAt - p.now) * 2 : 0;
      const base = Math.max(config.webhookFallbackMs, late);
      return Math.round(base * (0.9 + random() * 0.2));
    }
    return nextPollDelay(p, config.poll, random);
  }

  /** Sends a job whose slot this process just claimed (the claim marked it "maybe sent"). */
  async function submit(queued: JobRecord): Promise<void> {
    const media = await store.getMedia(queued.id);
    if (media === null) {
      await fail(queued, new AvatarError('MEDIA_GONE', 'The files of this job are no longer kept.'));
      return;
    }
    const webhookToken = config.publicUrl === undefined ? null : randomBytes(24).toString('base64url');
    const t0 = now();
    const job = await store.updateJob(queued.id, { webhookToken, updatedAt: t0 }, 'queued');
    if (job === null) return; // canceled meanwhile
    const l = jobLog(job);
    const abort = new AbortController();
    submitting.set(job.id, abort);
    stats.submits += 1;
    let answer;
    try {
      answer = await api.submit(
        {
          image: media.image,
          audio: media.audio,
          ...(webhookToken === null
            ? {}
            : { webhook: { url: `${config.publicUrl}/avatar/webhook/${job.id}`, authToken: webhookToken } }),
        },
        abort.signal,
      );
    } catch (err) {
      submitting.delete(job.id);
      if (stopped && abort.signal.aborted) return; // left as "maybe sent": resolved at next start
      const e = toAvatarError(err);
      countApiError(e.code);
      l.warn({ code: e.code, detail: e.detail }, e.message);
      const current = await store.getJob(job.id);
      if (current !== null) await fail(current, e);
      return;
    }
    submitting.delete(job.id);
    const t = now();
    const etaAt = estimateEta(t, job.audioSeconds, ratio);
    const nextPollAt = t + pollDelay({ now: t, etaAt, pollCount: 0 });
    const sent = await store.updateJob(
      job.id,
      {
        state: 'submitted',
        taskId: answer.taskId,
        taskStatus: answer.status,
        submittedAt: t,
        etaAt,
        deadlineAt: t + config.timeoutMs,
        nextPollAt,
        pollCount: 0,
        updatedAt: t,
      },
      'queued',
    );
    if (sent === null) {
      l.warn({ taskId: answer.taskId }, 'job was canceled while it was being sent; the service renders it anyway');
      return;
    }
    l.info({ taskId: answer.taskId, etaMs: etaAt - t }, 'submitted');
    timers.schedule(sent.id, nextPollAt);
    emit(sent);
    notifyProgress(sent);
  }

  /** A scheduled look at a job: what to do follows from its stored state, so a repeat is harmless. */
  async function onTask(task: TaskRun): Promise<void> {
    const id = task.jobId;
    const job = await store.getJob(id);
    if (job === null || stopped) return;
    if (isFinal(job.state)) {
      await deliver(id, 'task');
      return;
    }
    if (job.state === 'submitted') {
      await poll(job);
      return;
    }
    const claim = await store.claimSubmit(id, config.limits, now(), task.owner);
    if (claim === 'ok') {
      lastPosition.delete(id);
      await submit(job);
    } else if (claim === 'mine') {
      // This very task claimed the slot, then its process died mid-submit: the service may
      // have the job. Never send it twice on a guess; the person decides with Retry.
      await fail(job, interrupted());
    }
    // wait / full / gone: the next dispatch pass (a job finishing frees a slot) tries again.
  }

  function interrupted(): AvatarError {
    return new AvatarError(
      'SUBMIT_INTERRUPTED',
      'The bot restarted while sending this job to the avatar service, so it may not have arrived. Press Retry to send it again.',
    );
  }

  async function poll(job: JobRecord): Promise<void> {
    if (polling.has(job.id) || job.taskId === null) return;
    polling.add(job.id);
    const l = jobLog(job);
    let st: StatusAnswer;
    try {
      stats.statusPolls += 1;
      st = await api.status(job.taskId, pollAbort.signal);
    } catch (err) {
      polling.delete(job.id);
      if (stopped) return;
      const e = toAvatarError(err);
      countApiError(e.code);
      const current = await store.getJob(job.id);
      if (current === null || current.state !== 'submitted') return;
      if (FATAL_POLL_CODES.includes(e.code)) {
        await fail(current, e);
        return;
      }
      const t = now();
      if (current.deadlineAt !== null && t >= current.deadlineAt) {
        await fail(current, new AvatarError('JOB_TIMEOUT', `No final status within ${Math.round(config.timeoutMs / 1000)} s (last error: ${e.message})`), 'timed_out');
        return;
      }
      const failures = (pollFailures.get(job.id) ?? 0) + 1;
      pollFailures.set(job.id, failures);
      const at = t + pollDelay({ now: t, etaAt: current.etaAt ?? t, pollCount: current.pollCount, failures });
      await store.updateJob(job.id, { nextPollAt: at, updatedAt: t });
      l.warn({ code: e.code, failures, retryInMs: at - t }, 'status poll failed');
      timers.schedule(job.id, at);
      return;
    }
    polling.delete(job.id);
    pollFailures.delete(job.id);
    if (stopped) return;
    const current = await store.getJob(job.id);
    if (current === null || current.state !== 'submitted') return;
    const t = now();
    switch (st.status) {
      case 'COMPLETED':
        if (st.fileUrl === null) {
          await fail(current, new AvatarError('API_BAD_RESPONSE', 'The service said COMPLETED but gave no file_url.'));
        } else {
          await finishAndDeliver(current, 'completed', { taskStatus: 'COMPLETED', fileUrl: st.fileUrl, outputDuration: st.outputDuration });
        }
        return;
      case 'FAILED':
        await finishAndDeliver(current, 'failed', {
          taskStatus: 'FAILED',
          errorCode: 'JOB_FAILED',
          errorMessage: st.error ?? 'The avatar service could not render the video.',
        });
        return;
      case 'CANCELED':
        await finishAndDeliver(current, 'canceled', { taskStatus: 'CANCELED', errorCode: 'JOB_CANCELED', errorMessage: st.error ?? 'The avatar service canceled the task.' });
        return;
      case 'TIMED_OUT':
        await finishAndDeliver(current, 'timed_out', { taskStatus: 'TIMED_OUT', errorCode: 'JOB_TIMEOUT', errorMessage: st.error ?? 'The avatar service timed out.' });
        return;
      default:
        break;
    }
    if (current.deadlineAt !== null && t >= current.deadlineAt) {
      await finishAndDeliver(current, 'timed_out', {
        taskStatus: st.status,
        errorCode: 'JOB_TIMEOUT',
        errorMessage: `The video was not ready within ${Math.round(config.timeoutMs / 1000)} s.`,
      });
      return;
    }
    const pollCount = current.pollCount + 1;
    let at = t + pollDelay({ now: t, etaAt: current.etaAt ?? t, pollCount });
    if (current.deadlineAt !== null) at = Math.min(at, current.deadlineAt);
    const next = await store.updateJob(job.id, { taskStatus: st.status, pollCount, nextPollAt: at, updatedAt: t }, 'submitted');
    if (next === null) return;
    timers.schedule(job.id, at);
    emit(next);
    notifyProgress(next);
  }

  async function view(id: string): Promise<JobView | null> {
    const r = await store.getJob(id);
    return r === null ? null : toView(r);
  }

  function refusal(outcome: Exclude<InsertOutcome, 'ok'>): AvatarError {
    const { quotaPerPersonDaily, quotaPerGroupDaily, queueMax } = config.limits;
    switch (outcome) {
      case 'PERSON_QUOTA':
        return new AvatarError('QUOTA_EXCEEDED', `You have used your ${quotaPerPersonDaily} videos for today. The quota resets at midnight UTC.`, { reason: 'PERSON' });
      case 'GROUP_QUOTA':
        return new AvatarError('QUOTA_EXCEEDED', `This server has used its ${quotaPerGroupDaily} videos for today. The quota resets at midnight UTC.`, { reason: 'GROUP' });
      case 'QUEUE_FULL':
        return new AvatarError('QUEUE_FULL', `The queue is full (${queueMax} videos waiting). Please try again in a few minutes.`);
    }
  }

  function insertRules(t: number) {
    const { quotaPerPersonDaily, quotaPerGroupDaily, queueMax } = config.limits;
    return { dayStart: startOfUtcDay(t), quotaPerPerson: quotaPerPersonDaily, quotaPerGroup: quotaPerGroupDaily, queueMax };
  }

  async function create(request: AvatarRequest, retryOf: { id: string; media: PreparedMedia } | null = null): Promise<JobView> {
    if (stopped) throw new AvatarError('API_UNAVAILABLE', 'The bot is shutting down; please try again in a moment.');
    // Refuse early, before any download; the insert checks the same rules again, atomically.
    const rules = insertRules(now());
    const used = await store.countCreatedSince(rules.dayStart, request.platform, request.requesterId, request.groupId);
    if (rules.quotaPerPerson > 0 && used.person >= rules.quotaPerPerson) throw refusal('PERSON_QUOTA');
    if (rules.quotaPerGroup > 0 && request.groupId !== '' && used.group >= rules.quotaPerGroup) throw refusal('GROUP_QUOTA');
    // Waiting jobs only: one being sent right now is no longer in the queue.
    if ((await store.countWaiting()) >= rules.queueMax) throw refusal('QUEUE_FULL');
    let prepared: PreparedMedia;
    if (retryOf !== null) {
      prepared = retryOf.media;
    } else {
      // Intake (download, sniff, ffmpeg/sharp) waits its turn: 200 at once would starve the
      // event loop, and every platform acknowledgement with it.
      prepared = await intake.run(async () => {
        const [image, audio] = await Promise.all([
          loadMedia('image', request.image, config.media.imageBytes),
          loadMedia('audio', request.speech.audio, config.media.audioBytes),
        ]);
        return media.prepare(image, audio);
      });
    }
    const t1 = now();
    const job: JobRecord = {
      id: randomUUID(),
      platform: request.platform,
      requesterId: request.requesterId,
      groupId: request.groupId,
      replyTo: request.replyTo,
      replyState: request.replyState ?? null,
      state: 'queued',
      taskId: null,
      taskStatus: null,
      fileUrl: null,
      outputDuration: null,
      audioSeconds: prepared.audioSeconds,
      errorCode: null,
      errorMessage: null,
      createdAt: t1,
      updatedAt: t1,
      submittedAt: null,
      finishedAt: null,
      etaAt: null,
      delivered: false,
      deliveredAt: null,
      preview: config.preview,
      webhookToken: null,
      submitStartedAt: null,
      nextPollAt: null,
      pollCount: 0,
      deadlineAt: null,
      deliveryStartedAt: null,
      retryOf: retryOf?.id ?? null,
    };
    // The last face a person used becomes their saved face (already normalised: no metadata).
    const outcome = await store.insertJob(job, prepared, insertRules(t1));
    if (outcome !== 'ok') throw refusal(outcome);
    jobLog(job).info({ audioSeconds: prepared.audioSeconds, imageBytes: prepared.image.byteLength, audioBytes: prepared.audio.byteLength }, 'job queued');
    emit(job);
    pump();
    const after = (await store.getJob(job.id)) ?? job;
    // Answer at once ("queued"), unless the dispatcher already told this job its place in line.
    if (after.state === 'queued' && !lastPosition.has(job.id)) notifyProgress(after);
    return toView(after);
  }

  return {
    create: (request) => create(request),
    get: view,
    async cancel(id, requesterId) {
      const job = await store.getJob(id);
      if (job === null) throw new AvatarError('NOT_FOUND', 'That job no longer exists.');
      if (job.requesterId !== requesterId) throw new AvatarError('NOT_ALLOWED', 'Only the person who asked for this video can cancel it.');
      if (isFinal(job.state)) return toView(job);
      submitting.get(id)?.abort();
      const { done } = await finish(job, 'canceled', { errorCode: 'JOB_CANCELED', errorMessage: 'Canceled by the person who asked.' });
      return toView(done ?? (await store.getJob(id)) ?? job);
    },
    async retry(id, requesterId, replyState) {
      const job = await store.getJob(id);
      if (job === null) throw new AvatarError('NOT_FOUND', 'That job no longer exists.');
      if (job.requesterId !== requesterId) throw new AvatarError('NOT_ALLOWED', 'Only the person who asked for this video can retry it.');
      if (!isFinal(job.state) || job.state === 'completed') throw new AvatarError('NOT_ALLOWED', 'Only a job that failed can be retried.');
      const kept = await store.getMedia(id);
      if (kept === null) throw new AvatarError('MEDIA_GONE', 'The files of that job are no longer kept. Please send them again.');
      const none: MediaInput = bytesInput(new Uint8Array());
      return create(
        { platform: job.platform, requesterId, groupId: job.groupId, replyTo: job.replyTo, replyState: replyState ?? job.replyState ?? undefined, image: none, speech: voiceFile(none) },
        { id, media: kept },
      );
    },
    async listForRequester(platform, requesterId, limit) {
      return (await store.listForRequester(platform, requesterId, limit)).map(toView);
    },
    async setReplyState(id, replyState) {
      await store.updateJob(id, { replyState, updatedAt: now() });
    },
    registerReply(platform, reply) {
      replies.set(platform, reply);
      if (started && !scheduler.durable) void track(deliverPending(platform));
    },
    async start() {
      if (started) return;
      started = true;
      ratio = Number((await store.getValue('render_ratio')) ?? config.renderRatio) || config.renderRatio;
      await scheduler.start((task) => track(onTask(task)));
      const t = now();
      // With a durable scheduler (BullMQ) every job already has its task in Redis, and a task
      // held by a dead worker is handed on: resuming here would race the live replicas.
      if (!scheduler.durable) {
        let resumed = 0;
        for (const job of await store.unfinishedJobs()) {
          resumed += 1;
          if (job.state === 'queued' && job.submitStartedAt !== null) {
            // The process stopped during a submit: it may have been accepted.
            void track(fail(job, interrupted()));
          } else if (job.state === 'submitted') {
            timers.schedule(job.id, Math.max(t, job.nextPollAt ?? t));
          } else if (isFinal(job.state)) {
            void track(deliver(job.id, 'resume'));
          }
        }
        if (resumed > 0) log.info({ resumed }, 'resumed unfinished jobs');
      } else {
        sweepTimer = setInterval(() => void track(sweep()), config.sweepMs);
        sweepTimer.unref();
      }
      await store.purgeExpiredMedia(t);
      purgeTimer = setInterval(() => void store.purgeExpiredMedia(now()).catch(() => undefined), 3600_000);
      purgeTimer.unref();
      pump();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (purgeTimer !== undefined) clearInterval(purgeTimer);
      if (sweepTimer !== undefined) clearInterval(sweepTimer);
      const schedulerStopped = scheduler.stop(STOP_WAIT_MS);
      pollAbort.abort();
      // In-flight submits get a grace period: an aborted submit leaves the job "maybe sent".
      const grace = setTimeout(() => {
        for (const a of submitting.values()) a.abort();
      }, SUBMIT_GRACE_MS);
      let capped: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise<void>((resolve) => {
          capped = setTimeout(() => {
            log.warn({ pending: inFlight.size }, 'stopping with work still in flight; it resumes on the next start');
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
      stats.webhookWakes += 1;
      // Only a wake-up: the status endpoint alone is trusted for the result.
      if (job.state === 'submitted' && !stopped) timers.schedule(job.id, now());
      return 'ok';
    },
    waitForFinal(jobId, timeoutMs) {
      return new Promise((resolve, reject) => {
        // Listen first, then read: a job finishing between the two is not missed.
        let settled = false;
        const settle = (fn: () => void): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          listeners.delete(listener);
          fn();
        };
        const timer = setTimeout(() => settle(() => reject(new AvatarError('JOB_TIMEOUT', `Job not final within ${timeoutMs} ms.`))), timeoutMs);
        const listener = (j: JobView): void => {
          if (j.id === jobId && isFinal(j.state)) settle(() => resolve(j));
        };
        listeners.add(listener);
        view(jobId).then(
          (first) => {
            if (first === null) settle(() => reject(new AvatarError('NOT_FOUND', 'No such job.')));
            else if (isFinal(first.state)) settle(() => resolve(first));
          },
          (err: unknown) => settle(() => reject(toAvatarError(err))),
        );
      });
    },
    onUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats: () => structuredClone(stats),
    queuePosition: (id) => lastPosition.get(id),
    renderRatio: () => ratio,
    async quota(platform, requesterId, groupId) {
      const t = now();
      const day = startOfUtcDay(t);
      const { quotaPerPersonDaily: pl, quotaPerGroupDaily: gl } = config.limits;
      const used = pl > 0 || gl > 0 ? await store.countCreatedSince(day, platform, requesterId, groupId) : { person: 0, group: 0 };
      const personUsed = used.person;
      const groupUsed = used.group;
      return {
        personLimit: pl > 0 ? pl : null,
        personRemaining: pl > 0 ? Math.max(0, pl - personUsed) : null,
        groupLimit: gl > 0 && groupId !== '' ? gl : null,
        groupRemaining: gl > 0 && groupId !== '' ? Math.max(0, gl - groupUsed) : null,
        resetsAt: day + 86_400_000,
      };
    },
  };
}
