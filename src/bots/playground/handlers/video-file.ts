import type { PlaygroundContext } from '../context.js';
import type { PlaygroundHandler } from '../guard.js';
import { notFound, ownedJob } from '../owned-job.js';

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` (one range; browsers ask for no more when seeking a video). */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'whole' | 'unsatisfiable' {
  if (header === undefined) return 'whole';
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null || (m[1] === '' && m[2] === '')) return 'whole';
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start > end || start >= size ? 'unsatisfiable' : { start, end };
}

/**
 * GET /api/jobs/:id/video.mp4: the tagged MP4 the core handed over for this job (labelled
 * AI-generated in its metadata), with Range requests for seeking. Only the owning browser; a
 * job whose copy this server no longer keeps is redirected to the service's link.
 */
export function createVideoFileHandler(ctx: PlaygroundContext): PlaygroundHandler {
  return async (request, reply, browserId) => {
    const id = (request.params as { id?: string }).id ?? '';
    const job = await ownedJob(ctx, id, browserId);
    if (job === null) return notFound(reply);
    const video = ctx.handed.get(id)?.video;
    if (video === undefined) {
      const link = job.fileUrl !== null && /^https?:\/\//.test(job.fileUrl) ? job.fileUrl : null;
      return link === null ? notFound(reply) : reply.redirect(link, 302);
    }
    const size = video.bytes.byteLength;
    const range = parseRange(request.headers.range, size);
    reply
      .header('accept-ranges', 'bytes')
      .header('cache-control', 'private, no-store')
      .header('content-disposition', `inline; filename="${video.name}"`)
      .type('video/mp4');
    if (range === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${size}`).send();
    const body = Buffer.from(video.bytes.buffer, video.bytes.byteOffset, size);
    if (range === 'whole') return reply.code(200).send(body);
    return reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
      .send(body.subarray(range.start, range.end + 1));
  };
}
