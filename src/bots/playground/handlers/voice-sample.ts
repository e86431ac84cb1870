import { toAvatarError } from '../../../core/errors.js';
import type { PlaygroundContext } from '../context.js';
import { errorWords, httpStatusFor } from '../error-words.js';
import type { PlaygroundHandler } from '../guard.js';
import { sendError } from '../http-util.js';

/** Longer than any service's voice id: a longer one is not looked up at all. */
const MAX_VOICE_ID = 200;
/** A clip does not change while its voice is listed: the browser may keep it for a while. */
const SAMPLE_CACHE = 'private, max-age=3600';

/**
 * GET /api/voices/:id/sample: the voice's sample clip, fetched by the core and sent from this
 * server (the page's CSP allows media from here, and the service's URL may be unreachable from
 * the browser). 404 when the voice is unknown or has no sample.
 */
export function createVoiceSampleHandler(ctx: PlaygroundContext): PlaygroundHandler {
  return async (request, reply) => {
    const id = (request.params as { id?: string }).id ?? '';
    try {
      const clip = id === '' || id.length > MAX_VOICE_ID ? null : await ctx.core.voices.sample(id);
      if (clip === null) return sendError(reply, 404, 'NOT_FOUND', 'That voice has no sample to play.');
      return reply.code(200).header('cache-control', SAMPLE_CACHE).type(clip.type).send(Buffer.from(clip.audio));
    } catch (err) {
      const e = toAvatarError(err);
      ctx.logger.warn({ code: e.code, reason: e.reason }, 'playground voice sample unavailable');
      return sendError(reply, httpStatusFor(e.code), e.code, errorWords(e));
    }
  };
}
