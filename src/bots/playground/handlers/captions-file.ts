import { captionFileNames } from '../../shared/words/handover.js';
import type { PlaygroundContext } from '../context.js';
import type { PlaygroundHandler } from '../guard.js';
import { notFound, ownedJob } from '../owned-job.js';

const TYPES = { vtt: 'text/vtt; charset=utf-8', srt: 'application/x-subrip; charset=utf-8' } as const;

/**
 * GET /api/jobs/:id/captions.vtt and .srt: the caption files exactly as the core made them for
 * this job's result (the page's <track> and its download links). Only the browser that owns
 * the job gets them; anyone else, and a job whose files this server no longer keeps, gets 404.
 */
export function createCaptionsFileHandler(ctx: PlaygroundContext, format: 'vtt' | 'srt'): PlaygroundHandler {
  return async (request, reply, browserId) => {
    const id = (request.params as { id?: string }).id ?? '';
    const job = await ownedJob(ctx, id, browserId);
    const captions = job === null ? undefined : ctx.handed.get(id)?.captions;
    if (captions === undefined) return notFound(reply);
    const name = captionFileNames(ctx.handed.get(id)?.video?.name ?? `talking-avatar-${id}.mp4`)[format];
    return reply
      .code(200)
      .header('cache-control', 'private, no-store')
      .header('content-disposition', `inline; filename="${name}"`)
      .type(TYPES[format])
      .send(captions[format]);
  };
}
