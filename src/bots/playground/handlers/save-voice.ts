import { AvatarError, toAvatarError } from '../../../core/errors.js';
import { voiceChoiceLabel, voiceSavedSentence } from '../../shared/words/voices.js';
import { LABEL_MAX } from './list-voices.js';
import type { PlaygroundContext } from '../context.js';
import { errorWords, httpStatusFor, PLAYGROUND_STYLE } from '../error-words.js';
import type { PlaygroundHandler } from '../guard.js';
import { sendError, sendJson } from '../http-util.js';
import { discardRest } from '../linger.js';
import { readJson } from '../read-json.js';

/** `{"voice": "<id>"}` and a little room: anything bigger is not a voice choice. */
const MAX_BODY_BYTES = 4096;
const READ_TIMEOUT_MS = 10_000;

/**
 * PUT /api/voice with `{"voice": "<id>"}`: saves this browser's voice for typed text (the core
 * checks that the service lists it). Answers `{voice: {id, name, label}, message}`; an unknown
 * voice is UNKNOWN_VOICE in the shared words, with the catalogue's status.
 */
export function createSaveVoiceHandler(ctx: PlaygroundContext): PlaygroundHandler {
  return async (request, reply, browserId) => {
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the voice as JSON: {"voice": "<voice id>"}.');
      discardRest(request.raw, MAX_BODY_BYTES, READ_TIMEOUT_MS);
      return reply;
    }
    const body = await readJson(request, MAX_BODY_BYTES, READ_TIMEOUT_MS);
    if (!body.ok) {
      if (body.failure === 'TOO_LARGE') discardRest(request.raw, MAX_BODY_BYTES, READ_TIMEOUT_MS);
      return sendError(reply, body.failure === 'TOO_LARGE' ? 413 : 400, 'BAD_REQUEST', 'Send the voice as JSON: {"voice": "<voice id>"}.');
    }
    const voiceId = (body.value as { voice?: unknown } | null)?.voice;
    if (typeof voiceId !== 'string' || voiceId.trim() === '') {
      return sendError(reply, 400, 'BAD_REQUEST', 'Say which voice: {"voice": "<voice id>"}.');
    }
    try {
      const voice = await ctx.core.voices.save('playground', browserId, voiceId.trim());
      return sendJson(reply, 200, {
        voice: { id: voice.id, name: voice.name, label: voiceChoiceLabel(voice, LABEL_MAX) },
        message: voiceSavedSentence(voice, PLAYGROUND_STYLE),
      });
    } catch (err) {
      const e = toAvatarError(err);
      if (!(err instanceof AvatarError) || e.code === 'INTERNAL') ctx.logger.error({ err: e }, 'playground voice save failed');
      else ctx.logger.info({ code: e.code, reason: e.reason }, 'playground voice refused');
      return sendError(reply, httpStatusFor(e.code), e.code, errorWords(e));
    }
  };
}
