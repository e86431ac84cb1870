import { toAvatarError } from '../../../core/errors.js';
import type { Voice } from '../../../core/ports.js';
import { makingVoiceSentence, PREVIEW_VOICES_NOTE, voiceChoiceLabel } from '../../shared/words/voices.js';
import { browserLocale } from '../browser-locale.js';
import type { PlaygroundContext } from '../context.js';
import { errorWords, httpStatusFor } from '../error-words.js';
import type { PlaygroundHandler } from '../guard.js';
import { sendError, sendJson } from '../http-util.js';

/** A voice's label in the picker: long enough for a name and a few languages, short enough for a select. */
export const LABEL_MAX = 120;

/** A voice as the page sees it: no sample URL (the service's host may be unreachable; the page asks this server). */
interface PublicVoice {
  id: string;
  name: string;
  /** Name and languages, as every adapter's picker words it. */
  label: string;
  languages: string[];
  description: string;
  hasSample: boolean;
}

/** What the "Type it" tab needs: the voices, this browser's choice, the text limit and its words. */
interface VoicesAnswer {
  voices: PublicVoice[];
  /** The voice this browser saved, or null (none, or withdrawn). */
  saved: string | null;
  /** The voice typed text is spoken in when the form names none (saved, default, or one in the browser's language). */
  current: string | null;
  textChars: number;
  preview: boolean;
  previewNote: string | null;
  words: { makingVoice: string };
}

function toPublicVoice(v: Voice): PublicVoice {
  return {
    id: v.id,
    name: v.name,
    label: voiceChoiceLabel(v, LABEL_MAX),
    languages: v.languages,
    description: v.description,
    hasSample: v.sampleUrl !== null,
  };
}

/** GET /api/voices: the voice list (the core's cache), this browser's voice and the text limit. */
export function createListVoicesHandler(ctx: PlaygroundContext): PlaygroundHandler {
  return async (request, reply, browserId) => {
    try {
      const voices = await ctx.core.voices.list();
      const saved = await ctx.core.voices.saved('playground', browserId);
      const locale = browserLocale(request);
      // The list has loaded, so choosing only fails when it is empty: then there is no current voice.
      const current = await ctx.core.voices.choose('playground', browserId, locale === undefined ? {} : { locale }).catch(() => null);
      const answer: VoicesAnswer = {
        voices: voices.map(toPublicVoice),
        saved: saved?.id ?? null,
        current: current?.id ?? null,
        textChars: ctx.core.limits.textChars,
        preview: ctx.core.preview,
        previewNote: ctx.core.preview ? PREVIEW_VOICES_NOTE : null,
        words: { makingVoice: makingVoiceSentence() },
      };
      return sendJson(reply, 200, answer);
    } catch (err) {
      const e = toAvatarError(err);
      ctx.logger.warn({ code: e.code, reason: e.reason }, 'playground voice list unavailable');
      return sendError(reply, httpStatusFor(e.code), e.code, errorWords(e));
    }
  };
}
