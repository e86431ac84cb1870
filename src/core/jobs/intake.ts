/**
 * A request becomes a queued job: refused early against the quotas and the queue, its files
 * loaded and prepared (bounded by the intake limiter), then stored and queued once.
 */
import { randomUUID } from 'node:crypto';
import { AvatarError } from '../errors.js';
import type { JobRecord } from '../store/port.js';
import { toView } from './view.js';
import { loadMedia } from '../media-input.js';
import type { AvatarRequest, ConsentDesk, JobView, PreparedMedia } from '../ports.js';
import type { JobContext } from './context.js';
import { insertRules, refuseEarly, refusal } from './quota.js';
import { asTextRefusal, planSpeech, speakPlan } from './speech.js';

/** Who asked and where to answer: a request without its files. */
type JobOwner = Omit<AvatarRequest, 'image' | 'speech' | 'locale' | 'faceConsent'>;

interface Intake {
  /** Refuses early, loads and prepares both files, then queues the job. */
  create(request: AvatarRequest): Promise<JobView>;
  /** Queues a new job with media prepared before (a Retry's kept files), refused early as create() is. */
  requeue(owner: JobOwner, kept: PreparedMedia, retryOf: string, spokenText: string | null): Promise<JobView>;
}

export function createIntake(ctx: JobContext, parts: { notifyProgress(job: JobRecord): void; pump(): void; consent: ConsentDesk }): Intake {
  const { store, config, now } = ctx;

  /**
   * FACE_CONSENT, first of all: refused here, nothing was fetched, spoken, stored or sent. A
   * request that carries the confirmation records it (mode `once`) and goes ahead.
   */
  async function checkConsent(request: AvatarRequest): Promise<void> {
    if (request.faceConsent === true) {
      await parts.consent.give(request.platform, request.requesterId);
      return;
    }
    if (await parts.consent.needed(request.platform, request.requesterId)) {
      const facts = { mode: parts.consent.mode };
      throw new AvatarError('CONSENT_NEEDED', 'The person has not confirmed they may use this face.', { facts });
    }
  }

  /** Refuses before any download; the insert checks the same rules again, atomically. */
  async function admit(owner: JobOwner): Promise<void> {
    if (ctx.stopped) {
      throw new AvatarError('API_UNAVAILABLE', 'The bot is shutting down; please try again in a moment.', { reason: 'SHUTTING_DOWN' });
    }
    await refuseEarly(store, config.limits, owner, now());
  }

  /** Stores the job with its prepared media and queues it: the one insert of a job. */
  async function enqueue(owner: JobOwner, prepared: PreparedMedia, retryOf: string | null, spokenText: string | null): Promise<JobView> {
    const t1 = now();
    const job: JobRecord = {
      id: randomUUID(),
      platform: owner.platform,
      requesterId: owner.requesterId,
      groupId: owner.groupId,
      replyTo: owner.replyTo,
      replyState: owner.replyState ?? null,
      state: 'queued',
      taskId: null,
      taskStatus: null,
      fileUrl: null,
      outputDuration: null,
      audioSeconds: prepared.audioSeconds,
      errorCode: null,
      errorMessage: null,
      errorFacts: null,
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
      retryOf,
      renderStartedAt: null,
      spokenText,
      discardedAt: null,
      captions: null,
    };
    const outcome = await store.insertJob(job, prepared, insertRules(config.limits, t1));
    if (outcome !== 'ok') throw refusal(outcome, config.limits, t1);
    // The last face a person used becomes their saved face (already normalised: no metadata).
    await store.saveFace(job.platform, job.requesterId, prepared.image, t1);
    const size = { audioSeconds: prepared.audioSeconds, imageBytes: prepared.image.byteLength, audioBytes: prepared.audio.byteLength };
    ctx.jobLog(job).info(size, 'job queued');
    ctx.emit(job);
    parts.pump();
    const after = (await store.getJob(job.id)) ?? job;
    // Answer at once ("queued"), unless the dispatcher already told this job its place in line.
    if (after.state === 'queued' && !ctx.lastPosition.has(job.id)) parts.notifyProgress(after);
    return toView(after);
  }

  return {
    async create(request) {
      await checkConsent(request);
      const { speech } = request;
      // Typed text: checked and matched to a voice first, so a refusal costs nothing.
      const plan =
        speech.kind === 'typed-text'
          ? await planSpeech(speech, request, { voices: ctx.voices, textMaxChars: config.media.textChars })
          : null;
      await admit(request);
      // Speech is made outside the intake limiter: it waits on the service, not on this CPU.
      const audioInput = plan === null ? (speech.kind === 'voice-file' ? speech.audio : null) : await speakPlan(plan, ctx.api);
      if (audioInput === null) throw new AvatarError('INTERNAL', 'A speech source without audio or text.');
      if (plan !== null) ctx.log.info({ voice: plan.voice.id, chars: [...plan.text].length }, 'speech made from typed text');
      // Intake (download, sniff, ffmpeg/sharp) waits its turn: 200 at once would starve the
      // event loop, and every platform acknowledgement with it.
      const prepared = await ctx.intake
        .run(async () => {
          const [image, audio] = await Promise.all([
            loadMedia('image', request.image, config.media.imageBytes),
            loadMedia('audio', audioInput, config.media.audioBytes),
          ]);
          return ctx.media.prepare(image, audio);
        })
        .catch((err: unknown) => {
          throw plan === null ? err : asTextRefusal(err);
        });
      return enqueue(request, prepared, null, plan?.text ?? null);
    },
    async requeue(owner, kept, retryOf, spokenText) {
      await admit(owner);
      return enqueue(owner, kept, retryOf, spokenText);
    },
  };
}
