/**
 * `/avatar audio:<file> | text:<words> [voice:<id>] [image:<file>]`: a voice note, or typed text
 * spoken in a voice, on a face. The interaction's own response becomes the progress message.
 * With no options at all it opens the one-step form (modals/avatar-form.ts).
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { checkAccess } from '../access.js';
import { accessOf, type BotContext } from '../context.js';
import { startFromInteraction } from '../interaction-job.js';
import { avatarFormModal } from '../modals/avatar-form.js';
import { answerVoiceAutocomplete } from '../voices/choices.js';
import { WORDS } from '../words.js';

/**
 * Discord caps a string option at 6,000 characters (the service takes 10,000); the core refuses
 * text over TEXT_MAX_CHARS with words saying the count and the limit.
 */
const DISCORD_TEXT_MAX = 6000;

export const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'avatar',
  description: 'Make a face speak a voice note or typed text',
  options: [
    {
      type: ApplicationCommandOptionType.Attachment,
      name: 'audio',
      description: 'The voice note (an audio file); or use text instead',
      required: false,
      file_types: ['audio'],
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'text',
      description: 'What the face says, typed (instead of audio)',
      required: false,
      max_length: DISCORD_TEXT_MAX,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'voice',
      description: 'The voice for your text (lists as you type); default: your saved voice',
      required: false,
      autocomplete: true,
      max_length: 100,
    },
    {
      type: ApplicationCommandOptionType.Attachment,
      name: 'image',
      description: 'The face (a photo); leave out to use your saved face',
      required: false,
      file_types: ['image'],
    },
  ],
};

/** Why the options do not make one request, or null when they do. */
function optionsProblem(hasAudio: boolean, hasText: boolean, hasVoice: boolean): string | null {
  if (hasAudio && hasText) return WORDS.audioAndText;
  if (!hasAudio && !hasText) return WORDS.audioOrText;
  if (hasAudio && hasVoice) return WORDS.voiceWithAudio;
  return null;
}

export async function execute(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const denied = checkAccess(ctx.config, accessOf(interaction));
  if (denied !== null) {
    await interaction.reply({ content: denied, flags: 'Ephemeral', allowedMentions: { parse: [] } });
    return;
  }
  // No options at all: the one-step form (face, voice note or text, voice) in a modal.
  if (interaction.options.data.length === 0) {
    await interaction.showModal(await avatarFormModal(ctx, interaction.user.id, { face: true }));
    return;
  }
  const audio = interaction.options.getAttachment('audio');
  const text = interaction.options.getString('text');
  const voiceId = interaction.options.getString('voice');
  const problem = optionsProblem(audio !== null, text !== null, voiceId !== null);
  if (problem !== null) {
    await interaction.reply({ content: problem, flags: 'Ephemeral', allowedMentions: { parse: [] } });
    return;
  }
  await startFromInteraction(ctx, interaction, {
    audio,
    text,
    voice: voiceId,
    image: interaction.options.getAttachment('image'),
  });
}

export function autocomplete(ctx: BotContext, interaction: AutocompleteInteraction): Promise<void> {
  return answerVoiceAutocomplete(ctx, interaction);
}
