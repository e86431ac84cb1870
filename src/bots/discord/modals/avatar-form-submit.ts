/**
 * The one-step form's submit (MODAL_SUBMIT): the uploaded files arrive in
 * `data.resolved.attachments` and go through the same loaders as slash-command attachments
 * (Discord's hosts only, capped download, bytes sniffed by the core). Exactly one of a voice
 * note and typed text; then the job starts as `/avatar` starts it.
 */
import { ComponentType, type Attachment, type ModalSubmitInteraction } from 'discord.js';
import { formProblem } from '../../shared/words/result-card.js';
import { checkAccess } from '../access.js';
import { accessOf, type BotContext } from '../context.js';
import { startFromInteraction } from '../interaction-job.js';
import { FIELD, FORM_ID, SAVED_FACE_FORM_ID } from './avatar-form.js';

type Fields = ModalSubmitInteraction['fields'];

/** The first file of a File Upload, or null when it is absent from the form or left empty. */
function uploaded(fields: Fields, id: string): Attachment | null {
  const field = fields.fields.get(id);
  if (field?.type !== ComponentType.FileUpload) return null;
  return field.attachments?.first() ?? null;
}

/** A text input's value or a select's choice, trimmed; null when empty or absent. */
function given(fields: Fields, id: string): string | null {
  const field = fields.fields.get(id);
  let value: string | undefined;
  if (field?.type === ComponentType.TextInput) value = field.value;
  else if (field?.type === ComponentType.StringSelect) value = field.values[0];
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** True for the custom ids of the avatar form. */
export function isAvatarForm(customId: string): boolean {
  return customId === FORM_ID || customId === SAVED_FACE_FORM_ID;
}

export async function handleAvatarForm(ctx: BotContext, interaction: ModalSubmitInteraction): Promise<void> {
  const denied = checkAccess(ctx.config, accessOf(interaction));
  if (denied !== null) {
    await interaction.reply({ content: denied, flags: 'Ephemeral', allowedMentions: { parse: [] } });
    return;
  }
  const fields = interaction.fields;
  const audio = uploaded(fields, FIELD.voiceNote);
  const text = given(fields, FIELD.text);
  const voice = given(fields, FIELD.voice);
  const problem = formProblem(audio !== null, text !== null, voice !== null);
  if (problem !== null) {
    await interaction.reply({ content: problem, flags: 'Ephemeral', allowedMentions: { parse: [] } });
    return;
  }
  // The saved-face form has no face field: null means the saved face.
  await startFromInteraction(ctx, interaction, { audio, text, voice, image: uploaded(fields, FIELD.face) });
}
