/**
 * A job's captions, made while the service renders: after a successful submit the job's kept
 * audio goes to the service's speech-to-text (a voice note), or the typed text is timed across
 * the speech (by speech-to-text when the service has it, else by sentence in proportion to
 * length). The result is stored with the job. At completion, before the media is released,
 * the engine waits for it a few seconds at most, or makes it then (after a restart).
 *
 * Captions never fail or hold up a video: every failure becomes "no captions" and a note.
 * Why a job has none is remembered in memory only (a restart forgets it; the hand-over then
 * says the captions failed), which is enough for the one answer it goes into.
 */
import { NO_SPEECH_TO_TEXT } from '../avatar-api.js';
import { cuesAlongSegments, cuesFromSegments, cuesFromText, transcriptOf } from '../captions/index.js';
import type { HandoverConfig } from '../config.js';
import { toAvatarError } from '../errors.js';
import type { HandoverNote, JobCaptions, Transcript } from '../ports.js';
import type { JobRecord } from '../store/port.js';
import type { JobContext } from './context.js';

/** The most the background work may take (speech-to-text of a five-minute voice note, retries included). */
const CAPTIONS_TIMEOUT_MS = 180_000;
/** At completion, how long the video waits for captions still being made. */
const SETTLE_MS = 5000;
/** A service that said it has no speech-to-text is not asked again for this long. */
const NO_STT_MEMORY_MS = 10 * 60_000;
/** Notes about jobs not yet answered; far more than jobs finish between two deliveries. */
const MAX_NOTES = 10_000;

export interface CaptionsStep {
  /** After a successful submit: starts making the job's captions in the background. */
  begin(job: JobRecord): void;
  /** A completed job, before its media is released: waits (bounded) for its captions, or makes them now. */
  settle(job: JobRecord): Promise<void>;
  /** Why a job has no captions, when known. */
  missing(job: JobRecord): HandoverNote | undefined;
  /** The job ended without a video, was answered or deleted: drops its work and memory. */
  drop(jobId: string): void;
}

/** Waits for `work`, or `ms` at most (the timer is cleared either way). */
async function atMost(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

export function createCaptionsStep(ctx: JobContext, config: Pick<HandoverConfig, 'captions'>): CaptionsStep {
  const pending = new Map<string, { done: Promise<void>; abort: AbortController }>();
  const notes = new Map<string, HandoverNote>();
  let noSttUntil = 0;

  function remember(jobId: string, note: HandoverNote): void {
    if (notes.size >= MAX_NOTES) notes.delete(notes.keys().next().value ?? '');
    notes.set(jobId, note);
  }

  /** What the service heard; null: it has no speech-to-text. Other failures throw. */
  async function hear(audio: Uint8Array, signal: AbortSignal): Promise<Transcript | null> {
    if (ctx.now() < noSttUntil) return null;
    try {
      return await ctx.api.transcribe(audio, signal);
    } catch (err) {
      if (toAvatarError(err).reason !== NO_SPEECH_TO_TEXT) throw err;
      noSttUntil = ctx.now() + NO_STT_MEMORY_MS;
      return null;
    }
  }

  /** The job's captions, or the note saying why there are none. */
  async function build(job: JobRecord, audio: Uint8Array, signal: AbortSignal): Promise<JobCaptions | HandoverNote> {
    const seconds = job.audioSeconds;
    const typed = job.spokenText;
    if (typed !== null) {
      // Typed text always gets captions: its words are known, only their timing is asked.
      const heard = await hear(audio, signal).catch((err: unknown) => {
        ctx.jobLog(job).info({ err: toAvatarError(err).message }, 'speech-to-text failed; typed text timed by sentence');
        return null;
      });
      if (heard !== null && heard.segments.length > 0) {
        return { source: 'speech-to-text', cues: cuesAlongSegments(typed, heard.segments, seconds), text: typed };
      }
      return { source: 'typed-text', cues: cuesFromText(typed, seconds), text: typed };
    }
    let heard: Transcript | null;
    try {
      heard = await hear(audio, signal);
    } catch (err) {
      if (signal.aborted) throw err;
      ctx.jobLog(job).warn({ err: toAvatarError(err).message }, 'speech-to-text failed: no captions');
      return 'CAPTIONS_FAILED';
    }
    if (heard === null) return 'CAPTIONS_NEED_SPEECH_TO_TEXT';
    // Words without times are spread over the speech, as typed text is.
    const cues = heard.segments.length > 0 ? cuesFromSegments(heard.segments, seconds) : cuesFromText(heard.text, seconds);
    if (cues.length === 0) return 'CAPTIONS_FAILED';
    return { source: 'speech-to-text', cues, text: heard.text === '' ? transcriptOf(cues) : heard.text };
  }

  async function make(job: JobRecord, signal: AbortSignal): Promise<void> {
    try {
      const media = await ctx.store.getMedia(job.id);
      if (media === null) {
        remember(job.id, 'CAPTIONS_FAILED');
        return;
      }
      const made = await build(job, media.audio, signal);
      if (typeof made === 'string') {
        remember(job.id, made);
        return;
      }
      if (ctx.stopped) return;
      await ctx.store.updateJob(job.id, { captions: made });
      ctx.jobLog(job).info({ source: made.source, cues: made.cues.length }, 'captions made');
    } catch (err) {
      if (ctx.stopped) return; // made again from the kept media at completion, after the restart
      remember(job.id, 'CAPTIONS_FAILED');
      ctx.jobLog(job).warn({ err: toAvatarError(err).message }, 'captions could not be made');
    }
  }

  function start(job: JobRecord): Promise<void> {
    const running = pending.get(job.id);
    if (running !== undefined) return running.done;
    const abort = new AbortController();
    const signal = AbortSignal.any([abort.signal, ctx.pollAbort.signal, AbortSignal.timeout(CAPTIONS_TIMEOUT_MS)]);
    const done = ctx.track(make(job, signal)).finally(() => pending.delete(job.id));
    pending.set(job.id, { done, abort });
    return done;
  }

  return {
    begin(job) {
      if (config.captions === 'off' || ctx.stopped) return;
      void start(job);
    },
    async settle(job) {
      if (config.captions === 'off' || job.captions !== null || notes.has(job.id)) return;
      // Not begun in this process (a restart while rendering): made now from the kept media.
      const done = pending.get(job.id)?.done ?? start(job);
      await atMost(done, SETTLE_MS);
    },
    missing: (job) => notes.get(job.id),
    drop(jobId) {
      pending.get(jobId)?.abort.abort();
      pending.delete(jobId);
      notes.delete(jobId);
    },
  };
}
