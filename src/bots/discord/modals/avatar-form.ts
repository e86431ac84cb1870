/**
 * The one-step form: a modal with a File Upload for the face (optional when a face is saved),
 * a File Upload for a voice note, a paragraph for typed text, and the voice for that text (a
 * select of the service's voices, or a short text input when the list cannot be had in time:
 * the modal must be shown within Discord's 3 s). "Same face, new voice note" opens it without
 * the face field.
 */
import {
  ComponentType,
  TextInputStyle,
  type APIComponentInLabel,
  type APILabelComponent,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import { toAvatarError } from '../../../core/errors.js';
import type { Voice } from '../../../core/ports.js';
import { FORM_WORDS } from '../../shared/words/result-card.js';
import { voiceChoiceLabel } from '../../shared/words/voices.js';
import { PLATFORM, type BotContext } from '../context.js';
import { within } from '../voices/choices.js';

/** The form with a face field, and the one that uses the saved face. */
export const FORM_ID = 'avatar:form';
export const SAVED_FACE_FORM_ID = 'avatar:form:saved-face';

/** The fields' custom ids, read back by the submit handler. */
export const FIELD = { face: 'face', voiceNote: 'voice-note', text: 'text', voice: 'voice' } as const;

/** Discord: a select holds 25 options, a modal text input 4,000 characters, a label 100-character description. */
const MAX_OPTIONS = 25;
const TEXT_INPUT_MAX = 4000;
/** Leaves time for the modal's own round trip inside the 3 s. */
const VOICES_DEADLINE_MS = 1500;

function label(text: string, description: string, component: APIComponentInLabel): APILabelComponent {
  return { type: ComponentType.Label, label: text, description, component };
}

/** The voice field: the first 25 voices (premade first), or a text input when none could be listed. */
function voiceField(voices: readonly Voice[]): APILabelComponent {
  const usable = voices.filter((v) => v.id !== '' && v.id.length <= 100).slice(0, MAX_OPTIONS);
  if (usable.length === 0) {
    return label(FORM_WORDS.voiceLabel, FORM_WORDS.voiceTyped, {
      type: ComponentType.TextInput,
      custom_id: FIELD.voice,
      style: TextInputStyle.Short,
      required: false,
      max_length: 100,
    });
  }
  return label(FORM_WORDS.voiceLabel, FORM_WORDS.voiceDescription, {
    type: ComponentType.StringSelect,
    custom_id: FIELD.voice,
    required: false,
    min_values: 0,
    max_values: 1,
    options: usable.map((v) => ({ label: voiceChoiceLabel(v, 100), value: v.id })),
  });
}

export async function avatarFormModal(
  ctx: Pick<BotContext, 'core' | 'logger'>,
  userId: string,
  opts: { face: boolean },
): Promise<APIModalInteractionResponseCallbackData> {
  const [saved, voices] = await Promise.all([
    opts.face ? ctx.core.faces.get(PLATFORM, userId).then((f) => f !== null) : Promise.resolve(true),
    within(ctx.core.voices.list(), VOICES_DEADLINE_MS).catch((err: unknown) => {
      ctx.logger.warn({ err: toAvatarError(err).message }, 'discord: no voice list for the form; it asks for a typed voice');
      return null;
    }),
  ]);
  const components: APILabelComponent[] = [];
  if (opts.face) {
    components.push(
      label(FORM_WORDS.faceLabel, saved ? FORM_WORDS.faceOptional : FORM_WORDS.faceRequired, {
        type: ComponentType.FileUpload,
        custom_id: FIELD.face,
        // Only a filter in the picker (by extension): the bytes are still sniffed.
        file_types: ['image'],
        min_values: saved ? 0 : 1,
        max_values: 1,
        required: !saved,
      }),
    );
  }
  components.push(
    label(FORM_WORDS.voiceNoteLabel, FORM_WORDS.voiceNoteDescription, {
      type: ComponentType.FileUpload,
      custom_id: FIELD.voiceNote,
      file_types: ['audio'],
      min_values: 0,
      max_values: 1,
      required: false,
    }),
    label(FORM_WORDS.textLabel, FORM_WORDS.textDescription, {
      type: ComponentType.TextInput,
      custom_id: FIELD.text,
      style: TextInputStyle.Paragraph,
      required: false,
      max_length: Math.min(TEXT_INPUT_MAX, ctx.core.limits.textChars),
    }),
    voiceField(voices ?? []),
  );
  return {
    custom_id: opts.face ? FORM_ID : SAVED_FACE_FORM_ID,
    title: opts.face ? FORM_WORDS.title : FORM_WORDS.sameFaceTitle,
    components,
  };
}
