import { forgetSentence } from '../../shared/words/forget.js';
import type { PlaygroundContext } from '../context.js';
import { PLAYGROUND_STYLE } from '../error-words.js';
import type { PlaygroundHandler } from '../guard.js';
import { sendJson } from '../http-util.js';

/**
 * POST /api/forget ("Forget me"): cancels this browser's running videos, then deletes its
 * saved face and every video with its files. Answers what was done, as counts and in words.
 * A plain function of (ctx, browser id): the HTTP layer only routes to it.
 */
export function createForgetHandler(ctx: PlaygroundContext): PlaygroundHandler {
  return async (_request, reply, browserId) => {
    const forgotten = await ctx.core.jobs.forgetPerson('playground', browserId);
    ctx.handed.dropOwner(browserId);
    return sendJson(reply, 200, { forgotten, message: forgetSentence(forgotten, PLAYGROUND_STYLE) });
  };
}
