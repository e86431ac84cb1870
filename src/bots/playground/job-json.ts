import type { JobView, ProgressUpdate } from '../../core/ports.js';
import { handoverNoteLines, transcriptExcerpt } from '../shared/words/handover.js';
import { aiGeneratedLine } from '../shared/words/result-card.js';
import { errorJson } from './error-words.js';
import type { HandedEntry } from './handed-cache.js';

/** How much of the transcript the page shows before "Show all". */
const EXCERPT = { lines: 3, chars: 300 } as const;

/** A job as the page sees it: no requester ids, no replyTo, no internal detail. */
export interface PublicJob {
  id: string;
  /** queued (the bot's line) | waiting (the service's queue) | rendering | completed | failed | canceled. */
  phase: 'queued' | 'waiting' | 'rendering' | 'completed' | 'failed' | 'canceled';
  state: JobView['state'];
  createdAt: number;
  finishedAt: number | null;
  /** Rendering only: when the video is expected (the service's queue has no ETA). */
  etaAt: number | null;
  /** Rendering only: when the service started rendering (the page's rendering clock counts from it). */
  renderStartedAt: number | null;
  queuePosition: number | null;
  audioSeconds: number;
  /** The service's link to the video. */
  fileUrl: string | null;
  /** What the page plays and downloads: this server's copy of the tagged MP4 when it has one, else `fileUrl`. */
  videoUrl: string | null;
  /** This server's caption files (WebVTT for the <track>, SRT for editors), while it keeps them. */
  captions: { vtt: string; srt: string } | null;
  /** What is said in the video: shortened ("…" past a few lines) and whole. */
  transcript: { excerpt: string; full: string } | null;
  /** One plain line per hand-over note (why captions or the file are missing). */
  notes: string[];
  outputDuration: number | null;
  /** The typed text the video speaks, when it was typed. */
  spokenText: string | null;
  preview: boolean;
  /** The "AI-generated" line shown with a finished video (the shared words). */
  aiLabel: string | null;
  /** When the person deleted it: the page drops the job (every tab of the browser gets this). */
  discardedAt: number | null;
  /** `retryable`: the page offers Retry (the same rule as every adapter's). */
  error: { code: string; message: string; retryable: boolean } | null;
  /** The server's clock when this was written, so the page can correct its own clock. */
  serverNow: number;
}

function phaseOf(job: JobView): PublicJob['phase'] {
  switch (job.state) {
    case 'queued':
      return 'queued';
    case 'submitted':
      return job.taskStatus === 'IN_QUEUE' && job.renderStartedAt === null ? 'waiting' : 'rendering';
    case 'completed':
      return 'completed';
    case 'canceled':
      return 'canceled';
    default:
      return 'failed';
  }
}

/** Only http(s) URLs may reach the page (it puts them in `src` and `href`). */
function safeUrl(url: string | null): string | null {
  if (url === null) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/**
 * When rendering started, as the page should count it: the update's own clock when it comes with
 * one (newer than the stored row), else the stored start, else (a service that never said
 * IN_QUEUE before rendering) the submit, as the core's progress does.
 */
function renderStartOf(job: JobView, update: ProgressUpdate | undefined, now: number): number {
  if (update?.renderingMs !== undefined) return now - update.renderingMs;
  return job.renderStartedAt ?? job.submittedAt ?? job.createdAt;
}

/** The hand-over's parts of a finished job: this server's files while kept, the transcript from the job's captions. */
function handedParts(job: JobView, handed: HandedEntry | undefined): Pick<PublicJob, 'videoUrl' | 'captions' | 'transcript' | 'notes'> {
  const base = `/api/jobs/${encodeURIComponent(job.id)}`;
  const full = handed?.captions?.transcript ?? job.captions?.text ?? '';
  const excerpt = transcriptExcerpt(full, EXCERPT);
  return {
    videoUrl: handed?.video !== undefined ? `${base}/video.mp4` : safeUrl(job.fileUrl),
    captions: handed?.captions !== undefined ? { vtt: `${base}/captions.vtt`, srt: `${base}/captions.srt` } : null,
    transcript: excerpt === '' ? null : { excerpt, full: full.trim() },
    notes: handoverNoteLines(handed?.notes, job.preview),
  };
}

const NO_PARTS: Pick<PublicJob, 'videoUrl' | 'captions' | 'transcript' | 'notes'> = {
  videoUrl: null,
  captions: null,
  transcript: null,
  notes: [],
};

/**
 * Converts a JobView (optionally with the progress update being delivered, and what the core
 * handed over with a finished video) for the page.
 */
export function toPublicJob(job: JobView, update?: ProgressUpdate, now: number = Date.now(), handed?: HandedEntry): PublicJob {
  let phase = phaseOf(job);
  // A progress update is newer than the stored state it comes with.
  if (update !== undefined && (phase === 'queued' || phase === 'waiting' || phase === 'rendering')) phase = update.state;
  const rendering = phase === 'rendering';
  const etaAt = !rendering ? null : update?.etaMs !== undefined ? now + update.etaMs : job.etaAt;
  const error =
    job.errorCode !== null && phase !== 'completed'
      ? errorJson({ code: job.errorCode, message: job.errorMessage, facts: job.errorFacts ?? undefined })
      : null;
  const fileUrl = phase === 'completed' ? safeUrl(job.fileUrl) : null;
  return {
    id: job.id,
    phase,
    state: job.state,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    etaAt,
    renderStartedAt: rendering ? renderStartOf(job, update, now) : null,
    queuePosition: update?.queuePosition ?? null,
    audioSeconds: job.audioSeconds,
    fileUrl,
    ...(fileUrl !== null ? handedParts(job, handed) : NO_PARTS),
    outputDuration: job.outputDuration,
    spokenText: job.spokenText,
    preview: job.preview,
    aiLabel: fileUrl !== null ? aiGeneratedLine(job.preview) : null,
    discardedAt: job.discardedAt,
    error,
    serverNow: now,
  };
}
