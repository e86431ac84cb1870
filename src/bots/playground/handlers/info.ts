import { formatBytes } from '../../shared/words/bytes.js';
import { CONSENT_CHECKBOX } from '../../shared/words/consent.js';
import type { PlaygroundContext } from '../context.js';
import type { PlaygroundHandler } from '../guard.js';
import { sendJson } from '../http-util.js';

/** What the page needs to know before the first upload. */
interface PlaygroundInfo {
  preview: boolean;
  previewNote: string | null;
  limits: { imageBytes: number; audioBytes: number; audioSeconds: number };
  /** The size limits in words, so the page shows sizes as every other answer does. */
  limitWords: { imageBytes: string; audioBytes: string };
  /** FACE_CONSENT: the mode, whether this browser must tick the box now, and the box's words. */
  consent: { mode: 'off' | 'once' | 'every'; needed: boolean; label: string };
}

/** GET /api/info: preview mode, limits, and whether the consent box is to be shown. */
export function createInfoHandler(ctx: PlaygroundContext): PlaygroundHandler {
  return async (_request, reply, browserId) => {
    const info: PlaygroundInfo = {
      preview: ctx.core.preview,
      previewNote: ctx.core.preview
        ? 'Preview mode: videos come from the built-in local preview server (a rough talking face made offline, or the still face when it finds none). To use the real avatar service, set AVATAR_API_KEY in .env and restart.'
        : null,
      limits: { ...ctx.core.limits },
      limitWords: { imageBytes: formatBytes(ctx.core.limits.imageBytes), audioBytes: formatBytes(ctx.core.limits.audioBytes) },
      consent: {
        mode: ctx.core.consent.mode,
        needed: await ctx.core.consent.needed('playground', browserId),
        label: CONSENT_CHECKBOX,
      },
    };
    return sendJson(reply, 200, info);
  };
}
