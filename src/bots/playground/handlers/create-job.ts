import { AvatarError, MediaError, toAvatarError } from '../../../core/errors.js';
import type { MediaKind } from '../../../core/errors.js';
import { typedText, voiceFile, type MediaInput, type SpeechSource } from '../../../core/ports.js';
import { spokenText } from '../../shared/spoken-text.js';
import { formatBytes } from '../../shared/words/bytes.js';
import { browserLocale } from '../browser-locale.js';
import type { PlaygroundContext } from '../context.js';
import { errorWords, httpStatusFor } from '../error-words.js';
import type { PlaygroundHandler } from '../guard.js';
import { sendError, sendJson } from '../http-util.js';
import { toPublicJob } from '../job-json.js';
import { discardRest } from '../linger.js';
import { declaredTooLarge, readForm, type FormField, type UploadedFile } from '../read-form.js';
import { formatReplyTo } from '../reply-to.js';

/** After a 413, how much more of the upload is read (and dropped) before the connection is cut. */
const LINGER_BYTES = 1024 * 1024;
const LINGER_MS = 2000;

/**
 * An uploaded part as the core's MediaInput. The bytes are already in memory (the body was
 * capped), so `load` only applies the core's per-kind limit, in the core's own error terms.
 */
function toMediaInput(part: UploadedFile, kind: MediaKind): MediaInput {
  const input: MediaInput = {
    declaredSize: part.data.length,
    async load(maxBytes: number): Promise<Uint8Array> {
      if (part.data.length > maxBytes) {
        throw new MediaError(kind, 'TOO_LARGE', `${kind}: upload of ${part.data.length} bytes over the limit of ${maxBytes}`, {
          facts: { found: part.data.length, limit: maxBytes },
        });
      }
      return new Uint8Array(part.data);
    },
  };
  if (part.filename !== undefined && part.filename !== '') input.name = part.filename;
  if (part.mimetype !== '') input.declaredType = part.mimetype;
  return input;
}

/** What the face says, from the form: a voice note, or typed text (with an optional voice), never both. */
type SpeechChoice = { ok: true; speech: SpeechSource } | { ok: false; status: number; code: string; message: string };

function speechOf(audio: UploadedFile | undefined, text: FormField | undefined, voice: FormField | undefined): SpeechChoice {
  // A blank text field beside a file is an HTML form's empty textarea, not a second speech.
  if (audio !== undefined && text !== undefined && text.value.trim() !== '') {
    return { ok: false, status: 400, code: 'AUDIO_AND_TEXT', message: 'Send either a voice note or typed text, not both.' };
  }
  if (audio !== undefined) return { ok: true, speech: voiceFile(toMediaInput(audio, 'audio')) };
  if (text === undefined) {
    return { ok: false, status: 400, code: 'MISSING_FILE', message: 'Please record or choose a voice note, or type what to say.' };
  }
  // Past the field cap (far more than any text limit) the count is unknown: too long all the same.
  if (text.truncated)
    return { ok: false, status: 400, code: 'INVALID_TEXT', message: errorWords({ code: 'INVALID_TEXT', reason: 'TOO_LONG' }) };
  const voiceId = voice?.value.trim() || undefined;
  return { ok: true, speech: typedText(spokenText(text.value), voiceId) };
}

/** The form's "This is my face, or I have permission to use it" checkbox: sent only when ticked. */
function consentGiven(field: FormField | undefined): boolean {
  const v = field?.value.trim().toLowerCase() ?? '';
  return v !== '' && v !== 'false' && v !== '0' && v !== 'no';
}

/**
 * POST /api/jobs: multipart/form-data with an `image` file and either an `audio` file or a
 * `text` field (with an optional `voice` id; without it, the browser's saved voice), and
 * `faceConsent` when the person ticked the consent box (FACE_CONSENT). The body is
 * capped (413 past image + audio limits and a margin), the files go through the core exactly as
 * chat attachments do, typed text is spoken by the core, and refusals come back as
 * `{error: {code, message}}` in plain words.
 */
export function createCreateJobHandler(ctx: PlaygroundContext): PlaygroundHandler {
  const tooLarge = () => {
    const { imageBytes, audioBytes } = ctx.core.limits;
    return `The upload is too large: the image may be up to ${formatBytes(imageBytes)} and the voice note up to ${formatBytes(audioBytes)}.`;
  };
  return async (request, reply, browserId) => {
    if (!request.isMultipart()) {
      sendError(
        reply,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'Send a multipart/form-data form with an "image" file and either an "audio" file or a "text" field.',
      );
      discardRest(request.raw, LINGER_BYTES, LINGER_MS);
      return reply;
    }
    const form = declaredTooLarge(request, ctx.maxBodyBytes)
      ? ({ ok: false, failure: 'TOO_LARGE' } as const)
      : await readForm(request, ctx.maxBodyBytes, ctx.uploadTimeoutMs);
    if (!form.ok) {
      if (form.failure === 'TOO_LARGE') {
        sendError(reply, 413, 'TOO_LARGE', tooLarge());
        // No "Connection: close": Node would then reset the socket over the unread upload and
        // the client would lose this answer. A bounded drain instead, then the socket is cut.
        discardRest(request.raw, LINGER_BYTES, LINGER_MS);
      } else if (form.failure === 'BAD_FORM') {
        sendError(reply, 400, 'BAD_FORM', 'The upload could not be read as a form. Please try again.');
        discardRest(request.raw, LINGER_BYTES, LINGER_MS);
      } else {
        sendError(reply, 400, 'UPLOAD_FAILED', 'The upload was interrupted. Please try again.');
        request.raw.socket.destroy();
      }
      return reply;
    }
    const image = form.files.get('image');
    if (image === undefined) return sendError(reply, 400, 'MISSING_FILE', 'Please choose a face image.');
    const said = speechOf(form.files.get('audio'), form.fields.get('text'), form.fields.get('voice'));
    if (!said.ok) return sendError(reply, said.status, said.code, said.message);
    const locale = browserLocale(request);
    try {
      const job = await ctx.core.jobs.create({
        platform: 'playground',
        requesterId: browserId,
        groupId: '',
        replyTo: formatReplyTo(browserId),
        image: toMediaInput(image, 'image'),
        speech: said.speech,
        ...(locale === undefined ? {} : { locale }),
        ...(consentGiven(form.fields.get('faceConsent')) ? { faceConsent: true } : {}),
      });
      const view = toPublicJob(job);
      ctx.hub.publish(browserId, { type: 'job', job: view });
      return sendJson(reply, 201, { job: view });
    } catch (err) {
      const e = toAvatarError(err);
      if (!(err instanceof AvatarError) || e.code === 'INTERNAL') {
        ctx.logger.error({ err: e }, 'playground job creation failed');
      } else {
        ctx.logger.info({ code: e.code, reason: e.reason }, 'playground upload refused');
      }
      return sendError(reply, httpStatusFor(e.code), e.code, errorWords(e));
    }
  };
}
