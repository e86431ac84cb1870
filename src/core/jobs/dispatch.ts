/**
 * Admission: which waiting jobs the concurrency caps let through now, their places in line,
 * and the submit of a job whose slot was claimed.
 */
import { randomBytes } from 'node:crypto';
import { AvatarError, toAvatarError } from '../errors.js';
import type { SubmitAnswer } from '../ports.js';
import type { JobRecord } from '../store/port.js';
import { pollDelay } from '../schedule/policy.js';
import { renderEta } from '../schedule/render-time.js';
import type { JobContext } from './context.js';
import type { CaptionsStep } from './captions.js';
import type { Delivery } from './delivery.js';

/** How much of the waiting line one dispatch pass looks at (positions beyond are not announced). */
const WAITING_SCAN = 1000;

export interface Dispatch {
  /** Runs the dispatcher once, or once more after the current run when asked meanwhile. */
  pump(): void;
  /** Sends a job whose slot this process just claimed (the claim marked it "maybe sent"). */
  submit(queued: JobRecord): Promise<void>;
}

export function createDispatch(ctx: JobContext, delivery: Delivery, captions: CaptionsStep): Dispatch {
  const { store, config, now } = ctx;
  let pumping = false;
  let pumpAgain = false;

  function pump(): void {
    if (!ctx.started || ctx.stopped) return;
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    void ctx.track(
      (async () => {
        try {
          do {
            pumpAgain = false;
            await dispatchQueued();
          } while (pumpAgain && !ctx.stopped);
        } catch (err) {
          ctx.log.error({ err: toAvatarError(err).message }, 'dispatch failed; the next finished or new job retries it');
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
      if (active.total >= config.limits.inFlight || byPerson >= config.limits.perPerson || byGroup >= config.limits.perGroup) {
        waiting.push(job);
        continue;
      }
      active.total += 1;
      active.byRequester.set(rk, byPerson + 1);
      active.byGroup.set(gk, byGroup + 1);
      ctx.lastPosition.delete(job.id);
      if (ctx.scheduler.durable) {
        // Any worker may send it: the task claims the slot where it runs (and a task re-run
        // after its worker died recognises its own claim).
        ctx.schedule(job.id, now(), 'submit');
      } else if ((await store.claimSubmit(job.id, config.limits, now(), 'local')) === 'ok') {
        // One process: claim here and now, so a job with a free slot never counts as waiting.
        void ctx.track(submit(job));
      }
    }
    waiting.forEach((job, i) => {
      const position = i + 1;
      if (ctx.lastPosition.get(job.id) !== position) {
        ctx.lastPosition.set(job.id, position);
        delivery.notifyProgress(job);
      }
    });
  }

  async function submit(queued: JobRecord): Promise<void> {
    const media = await store.getMedia(queued.id);
    if (media === null) {
      await delivery.fail(queued, new AvatarError('MEDIA_GONE', 'The files of this job are no longer kept.'));
      return;
    }
    const webhookToken = config.publicUrl === undefined ? null : randomBytes(24).toString('base64url');
    const t0 = now();
    const job = await store.updateJob(queued.id, { webhookToken, updatedAt: t0 }, 'queued');
    if (job === null) return; // canceled meanwhile
    const l = ctx.jobLog(job);
    const abort = new AbortController();
    ctx.submitting.set(job.id, abort);
    ctx.stats.submits += 1;
    let answer: SubmitAnswer;
    try {
      answer = await ctx.api.submit(
        {
          image: media.image,
          audio: media.audio,
          ...(webhookToken === null ? {} : { webhook: { url: `${config.publicUrl}/avatar/webhook/${job.id}`, authToken: webhookToken } }),
        },
        abort.signal,
      );
    } catch (err) {
      ctx.submitting.delete(job.id);
      if (ctx.stopped && abort.signal.aborted) return; // left as "maybe sent": resolved at next start
      const e = toAvatarError(err);
      ctx.countApiError(e.code);
      l.warn({ code: e.code, detail: e.detail }, e.message);
      const current = await store.getJob(job.id);
      if (current !== null) await delivery.fail(current, e);
      return;
    }
    ctx.submitting.delete(job.id);
    const t = now();
    // A service without a queue answers IN_PROGRESS at once: the rendering clock starts now.
    const renderStartedAt = answer.status === 'IN_PROGRESS' ? t : null;
    const { etaAt, renderMs } = renderEta({ submittedAt: t, renderStartedAt, audioSeconds: job.audioSeconds }, ctx.ratio);
    const nextPollAt = t + pollDelay({ now: t, etaAt, pollCount: 0, renderMs, spread: ctx.spread }, ctx.pollPolicy, ctx.random);
    const sent = await store.updateJob(
      job.id,
      {
        state: 'submitted',
        taskId: answer.taskId,
        taskStatus: answer.status,
        submittedAt: t,
        etaAt,
        renderStartedAt,
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
    // The service renders for seconds to minutes: the captions are made meanwhile.
    captions.begin(sent);
    ctx.schedule(sent.id, nextPollAt);
    ctx.emit(sent);
    delivery.notifyProgress(sent);
  }

  return { pump, submit };
}
