/**
 * The hand-over: what goes out with a completed job's answer. The service's video is fetched
 * once (capped, timed), tagged as AI-generated on the media workers (captions burned when
 * CAPTIONS=burn), and given to the adapter with the caption files; every part that cannot be
 * made becomes a note, and the link always goes out. Made once per job and kept in memory
 * until the answer is delivered, so a delivery retry neither fetches nor burns again.
 */
import { clampCues, cuesFromText, toSrt, toVtt } from '../captions/index.js';
import type { HandoverConfig } from '../config.js';
import { toAvatarError } from '../errors.js';
import type { Cue, FinishVideoInput, VideoFinisher } from '../handover-ports.js';
import type { CaptionFiles, HandedVideo, HandoverNote, ResultUpdate } from '../ports.js';
import { PRODUCT, PRODUCT_WITH_VERSION } from '../product.js';
import { FILE_TOO_LARGE, fetchServiceFile } from '../service-file.js';
import type { JobRecord } from '../store/port.js';
import type { CaptionsStep } from './captions.js';
import type { JobContext } from './context.js';
import { createKeptHandovers } from './kept-handovers.js';

/** The hand-over's settings: the configuration's, and who made the video (for its tags). */
export interface EngineHandover extends HandoverConfig {
  /** The avatar service's host (e.g. `mirako.co`), or `local preview`. */
  service: string;
  /** Headers and each pause of the video download must come within this. */
  fetchTimeoutMs: number;
}

export const defaultHandover: EngineHandover = {
  captions: 'file',
  labelVideo: 'corner',
  videoMaxBytes: 100 * 1024 * 1024,
  burnTimeoutMs: 120_000,
  service: 'the avatar service',
  fetchTimeoutMs: 60_000,
};

/** The whole download of a video (up to VIDEO_MAX_MB) must end within this. */
const FETCH_TOTAL_MS = 180_000;
/**
 * Finished hand-overs kept for answers not yet delivered: at most 8, holding at most 128 MB of
 * video (was 8 alone: eight videos at VIDEO_MAX_MB would have held 800 MB).
 */
const KEPT_LIMITS = { maxCount: 8, maxBytes: 128 * 1024 * 1024 };

type Extras = Pick<ResultUpdate, 'video' | 'captions' | 'notes'>;

export interface Handover {
  /** The video, caption files and notes for a completed job's answer (made once, then kept until delivered). */
  prepare(job: JobRecord): Promise<Extras>;
  /** The answer went out, or the job was deleted: forgets what was kept for it. */
  forget(jobId: string): void;
}

/**
 * Provenance as MP4 metadata tags: what made it, with what, when, and that it is AI-generated.
 * No `encoder`: ffmpeg writes its own there (Lavf...), whatever is asked.
 */
function provenanceTags(service: string, madeAt: number): Record<string, string> {
  return {
    title: 'AI-generated talking avatar',
    comment: `AI-generated talking avatar (made by ${PRODUCT} with ${service})`,
    description: 'AI-generated video: a still face animated to speak by an AI avatar service. Not a recording of a real person speaking.',
    ai_generated: 'true',
    creation_time: new Date(madeAt).toISOString(),
    software: PRODUCT_WITH_VERSION,
    source_service: service,
  };
}

export function createHandover(ctx: JobContext, config: EngineHandover, parts: { captions: CaptionsStep; media: VideoFinisher }): Handover {
  const kept = createKeptHandovers<Extras>(KEPT_LIMITS, (extras) => extras.video?.bytes.byteLength ?? 0);

  /**
   * The caption files of the job's cues, clamped to the video; none when there are none. Typed
   * text whose captions were not ready in time (or lost to a restart) is timed by sentence
   * here: its words are known, so it always has captions.
   */
  function captionFiles(job: JobRecord): { files?: CaptionFiles; cues: Cue[] } {
    const seconds = Math.min(job.audioSeconds, job.outputDuration ?? Number.POSITIVE_INFINITY);
    const typed = job.spokenText;
    const captions =
      job.captions ?? (typed === null ? null : { source: 'typed-text' as const, cues: cuesFromText(typed, job.audioSeconds), text: typed });
    if (captions === null) return { cues: [] };
    const cues = clampCues(captions.cues, seconds);
    if (cues.length === 0) return { cues };
    return { cues, files: { source: captions.source, transcript: captions.text, vtt: toVtt(cues), srt: toSrt(cues) } };
  }

  async function make(job: JobRecord, fileUrl: string): Promise<Extras> {
    const notes: HandoverNote[] = [];
    const { files, cues } = config.captions === 'off' ? { cues: [] } : captionFiles(job);
    if (config.captions !== 'off' && files === undefined) notes.push(parts.captions.missing(job) ?? 'CAPTIONS_FAILED');
    const l = ctx.jobLog(job);
    let video: HandedVideo | undefined;
    try {
      const bytes = await fetchServiceFile(fileUrl, {
        what: 'video',
        maxBytes: config.videoMaxBytes,
        timeoutMs: config.fetchTimeoutMs,
        totalMs: FETCH_TOTAL_MS,
        signal: ctx.pollAbort.signal,
      });
      const input: FinishVideoInput = {
        video: bytes,
        tags: provenanceTags(config.service, job.finishedAt ?? ctx.now()),
        burnTimeoutMs: config.burnTimeoutMs,
        ...(config.captions === 'burn' && cues.length > 0 ? { burn: { cues, cornerMark: config.labelVideo === 'corner' } } : {}),
      };
      const done = await parts.media.finishVideo(input);
      if (done.burnFailed !== undefined) {
        notes.push('BURN_FAILED');
        l.warn({ why: done.burnFailed }, 'captions could not be burned: the tagged original goes out');
      }
      const { captionsBurned, cornerMark, c2pa } = done;
      video = { bytes: done.bytes, name: `talking-avatar-${job.id.slice(0, 8)}.mp4`, mime: 'video/mp4', captionsBurned, cornerMark, c2pa };
    } catch (err) {
      const e = toAvatarError(err);
      notes.push(e.reason === FILE_TOO_LARGE ? 'VIDEO_TOO_BIG' : 'VIDEO_UNAVAILABLE');
      l.warn({ code: e.code, reason: e.reason, detail: e.detail }, 'the video could not be handed over: the link goes out alone');
    }
    return { ...(video === undefined ? {} : { video }), ...(files === undefined ? {} : { captions: files }), notes };
  }

  return {
    prepare(job) {
      const fileUrl = job.fileUrl;
      if (fileUrl === null) return Promise.resolve({ notes: ['VIDEO_UNAVAILABLE'] });
      const known = kept.get(job.id);
      if (known !== undefined) return known;
      const made = ctx.track(make(job, fileUrl));
      kept.keep(job.id, made);
      return made;
    },
    forget(jobId) {
      kept.forget(jobId);
    },
  };
}
