/** Message context menu "Make it talk": the target's voice note with the person's saved face. */
import {
  ApplicationCommandType,
  InteractionContextType,
  type MessageContextMenuCommandInteraction,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import { checkAccess } from '../access.js';
import { accessOf, interactionState, PLATFORM, type BotContext } from '../context.js';
import { findVoiceAudio } from '../media/voice.js';
import { startJob } from '../start-job.js';
import { WORDS } from '../words.js';

export const definition: RESTPostAPIContextMenuApplicationCommandsJSONBody = {
  type: ApplicationCommandType.Message,
  name: 'Make it talk',
  contexts: [InteractionContextType.Guild],
};

export async function execute(ctx: BotContext, interaction: MessageContextMenuCommandInteraction): Promise<void> {
  const denied = checkAccess(ctx.config, accessOf(interaction));
  if (denied !== null) {
    await interaction.reply({ content: denied, flags: 'Ephemeral', allowedMentions: { parse: [] } });
    return;
  }
  if ((await ctx.core.faces.get(PLATFORM, interaction.user.id)) === null) {
    await interaction.reply({ content: WORDS.noFace, flags: 'Ephemeral' });
    return;
  }
  await interaction.deferReply();
  const target = interaction.targetMessage;
  const found = await findVoiceAudio(target, ctx.core, ctx.policy);
  if ('problem' in found) {
    await interaction.editReply({ content: found.problem });
    return;
  }
  const outcome = await startJob(ctx, {
    requesterId: interaction.user.id,
    groupId: interaction.guildId ?? '',
    // After the token dies, the answer replies to the voice note itself.
    target: { guildId: interaction.guildId ?? undefined, channelId: interaction.channelId, messageId: target.id },
    state: interactionState(interaction),
    image: null,
    audio: found.audio,
  });
  if ('problem' in outcome) await interaction.editReply({ content: outcome.problem, components: [], allowedMentions: { parse: [] } });
}
