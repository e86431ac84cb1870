import type { Logger } from 'pino';
import type { ChatReply, ErrorUpdate, JobView } from '../../core/ports.js';
import type { EventHub } from './event-hub.js';
import type { HandedCache } from './handed-cache.js';
import { toPublicJob } from './job-json.js';
import { parseReplyTo } from './reply-to.js';

/**
 * The playground's answerer: the core calls it with progress, results and errors, and it
 * pushes them to the owning browser's open event streams; a result's handed-over video and
 * caption files are kept (bounded) for the page to fetch from here. Nothing is posted anywhere, so a
 * repeat after a restart is harmless; a browser that is not connected re-lists its jobs from
 * the store when it comes back.
 */
export function createPlaygroundReply(hub: EventHub, handed: HandedCache, logger: Logger): ChatReply {
  /** The browser to tell, or null: a foreign replyTo, or a job its person deleted (nothing of it is shown again). */
  function browserOf(job: JobView): string | null {
    if (job.discardedAt !== null) return null;
    const id = parseReplyTo(job.replyTo);
    if (id === null) logger.warn({ jobId: job.id }, 'playground job with a foreign replyTo');
    return id;
  }
  return {
    async progress(job, update) {
      const browserId = browserOf(job);
      if (browserId !== null) hub.publish(browserId, { type: 'job', job: toPublicJob(job, update) });
    },
    async result(job, result) {
      const browserId = browserOf(job);
      if (browserId === null) return;
      // The job view may predate the final write: the result is the truth.
      const done: JobView = {
        ...job,
        state: 'completed',
        fileUrl: result.fileUrl,
        outputDuration: result.outputDuration,
        preview: result.preview,
        errorCode: null,
        errorMessage: null,
      };
      // Kept for the page to play and download from here (the tagged file, its captions).
      handed.put(job.id, {
        owner: browserId,
        ...(result.video === undefined ? {} : { video: { bytes: result.video.bytes, name: result.video.name } }),
        ...(result.captions === undefined
          ? {}
          : { captions: { vtt: result.captions.vtt, srt: result.captions.srt, transcript: result.captions.transcript } }),
        notes: result.notes ?? [],
      });
      hub.publish(browserId, { type: 'job', job: toPublicJob(done, undefined, Date.now(), handed.get(job.id)) });
    },
    async error(job, error: ErrorUpdate) {
      const browserId = browserOf(job);
      if (browserId === null) return;
      const state: JobView['state'] = error.code === 'JOB_CANCELED' ? 'canceled' : error.code === 'JOB_TIMEOUT' ? 'timed_out' : 'failed';
      // The facts carry what the words need (a timeout's seconds, a service's status).
      const failed: JobView = {
        ...job,
        state,
        errorCode: error.code,
        errorMessage: error.message,
        errorFacts: error.facts ?? job.errorFacts,
      };
      hub.publish(browserId, { type: 'job', job: toPublicJob(failed) });
    },
  };
}
