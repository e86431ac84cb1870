/** `/avatar audio:<file> [image:<file>]`: the interaction's own response becomes the progress message. */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { checkAccess } from '../access.js';
import { accessOf, interactionState, PLATFORM, type BotContext } from '../context.js';
import { inputOf } from '../media/voice.js';
import { startJob } from '../start-job.js';
import { quotaWords } from '../words.js';

export const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'avatar',
  description: 'Make a face speak a voice note',
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: ApplicationCommandOptionType.Attachment,
      name: 'audio',
      description: 'The voice note (an audio file)',
      required: true,
      file_types: ['audio'],
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

export async function execute(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const denied = checkAccess(ctx.config, accessOf(interaction));
  if (denied !== null) {
    await interaction.reply({ content: denied, flags: 'Ephemeral', allowedMentions: { parse: [] } });
    return;
  }
  // Acknowledge before any download: Discord gives 3 s.
  const deferred = await interaction.deferReply({ withResponse: true });
  const originalId = deferred.resource?.message?.id ?? (await interaction.fetchReply()).id;
  const audio = interaction.options.getAttachment('audio', true);
  const image = interaction.options.getAttachment('image');
  const outcome = await startJob(ctx, {
    requesterId: interaction.user.id,
    groupId: interaction.guildId ?? '',
    target: { guildId: interaction.guildId ?? undefined, channelId: interaction.channelId, messageId: originalId },
    state: interactionState(interaction),
    image: image !== null ? inputOf(image, 'image', ctx.policy) : null,
    audio: inputOf(audio, 'audio', ctx.policy),
  });
  if ('problem' in outcome) {
    await interaction.editReply({ content: outcome.problem, components: [], allowedMentions: { parse: [] } });
    return;
  }
  // When a daily quota is on, the person sees what is left (privately).
  const left = quotaWords(await ctx.core.quota(PLATFORM, interaction.user.id, interaction.guildId ?? ''));
  if (left !== null) await interaction.followUp({ content: left, flags: 'Ephemeral', allowedMentions: { parse: [] } });
}
