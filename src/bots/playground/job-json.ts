import type { JobView, ProgressUpdate } from '../../core/ports.js';
import { errorJson } from './error-words.js';

/** A job as the page sees it: no requester ids, no replyTo, no internal detail. */
export interface PublicJob {
  id: string;
  /** queued (the bot's line) | waiting (the service's queue) | rendering | completed | failed | canceled. */
  phase: 'queued' | 'waiting' | 'rendering' | 'completed' | 'failed' | 'canceled';
  state: JobView['state'];
  createdAt: number;
  finishedAt: number | null;
  etaAt: number | null;
  queuePosition: number | null;
  audioSeconds: number;
  fileUrl: string | null;
  outputDuration: number | null;
  /** The typed text the video speaks, when it was typed. */
  spokenText: string | null;
  preview: boolean;
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

/** Converts a JobView (optionally with the progress update being delivered) for the page. */
export function toPublicJob(job: JobView, update?: ProgressUpdate, now: number = Date.now()): PublicJob {
  let phase = phaseOf(job);
  // A progress update is newer than the stored state it comes with.
  if (update !== undefined && (phase === 'queued' || phase === 'waiting' || phase === 'rendering')) phase = update.state;
  const etaAt = update?.etaMs !== undefined ? now + update.etaMs : job.etaAt;
  const error = job.errorCode !== null && phase !== 'completed' ? errorJson({ code: job.errorCode, message: job.errorMessage }) : null;
  return {
    id: job.id,
    phase,
    state: job.state,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    etaAt,
    queuePosition: update?.queuePosition ?? null,
    audioSeconds: job.audioSeconds,
    fileUrl: phase === 'completed' ? safeUrl(job.fileUrl) : null,
    outputDuration: job.outputDuration,
    spokenText: job.spokenText,
    preview: job.preview,
    error,
    serverNow: now,
  };
}
