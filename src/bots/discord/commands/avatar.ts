/**
 * `/avatar audio:<file> | text:<words> [voice:<id>] [image:<file>]`: a voice note, or typed text
 * spoken in a voice, on a face. The interaction's own response becomes the progress message.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  MessageFlags,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { typedText, voiceFile } from '../../../core/ports.js';
import { spokenText } from '../../shared/spoken-text.js';
import { checkAccess } from '../access.js';
import { accessOf, interactionState, PLATFORM, type BotContext } from '../context.js';
import { inputOf } from '../media/voice.js';
import { startJob } from '../start-job.js';
import { answerVoiceAutocomplete, voiceIdFor } from '../voices/choices.js';
import { quotaWords, WORDS } from '../words.js';

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
  const audio = interaction.options.getAttachment('audio');
  const text = interaction.options.getString('text');
  const voiceId = interaction.options.getString('voice');
  const problem = optionsProblem(audio !== null, text !== null, voiceId !== null);
  if (problem !== null) {
    await interaction.reply({ content: problem, flags: 'Ephemeral', allowedMentions: { parse: [] } });
    return;
  }
  // Acknowledge before any download or speech: Discord gives 3 s.
  const deferred = await interaction.deferReply({ withResponse: true });
  const originalId = deferred.resource?.message?.id ?? (await interaction.fetchReply()).id;
  const image = interaction.options.getAttachment('image');
  const voice = voiceId === null ? undefined : await voiceIdFor(ctx, voiceId);
  const state = interactionState(interaction);
  // Discord may make a user-installed app's answer private whatever the permissions said.
  if (state.reach === 'interaction' && deferred.resource?.message?.flags.has(MessageFlags.Ephemeral) === true) state.privateOnly = true;
  const outcome = await startJob(ctx, {
    requesterId: interaction.user.id,
    groupId: interaction.guildId ?? '',
    target: { guildId: interaction.guildId ?? undefined, channelId: interaction.channelId, messageId: originalId },
    state,
    image: image !== null ? inputOf(image, 'image', ctx.policy) : null,
    speech: audio !== null ? voiceFile(inputOf(audio, 'audio', ctx.policy)) : typedText(spokenText(text ?? ''), voice),
    locale: interaction.locale,
    beforeSpeech: async () => {
      await interaction.editReply({ content: WORDS.makingVoice, allowedMentions: { parse: [] } });
    },
  });
  if ('problem' in outcome) {
    await interaction.editReply({ content: outcome.problem, components: [], allowedMentions: { parse: [] } });
    return;
  }
  // When a daily quota is on, the person sees what is left (privately).
  const left = quotaWords(await ctx.core.quota(PLATFORM, interaction.user.id, interaction.guildId ?? ''));
  if (left !== null) await interaction.followUp({ content: left, flags: 'Ephemeral', allowedMentions: { parse: [] } });
}

export function autocomplete(ctx: BotContext, interaction: AutocompleteInteraction): Promise<void> {
  return answerVoiceAutocomplete(ctx, interaction);
}
