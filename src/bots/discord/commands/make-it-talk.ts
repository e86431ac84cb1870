/**
 * Message context menu "Make it talk": the target's voice note, or else its text spoken in the
 * person's saved voice (or the default), with the person's saved face.
 */
import {
  ApplicationCommandType,
  type MessageContextMenuCommandInteraction,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import { typedText, voiceFile, type SpeechSource } from '../../../core/ports.js';
import { spokenText } from '../../shared/spoken-text.js';
import { checkAccess } from '../access.js';
import { accessOf, interactionState, PLATFORM, type BotContext } from '../context.js';
import { findVoiceAudio, hasAudio } from '../media/voice.js';
import { problemMessage, startJob } from '../start-job.js';
import { WORDS } from '../words.js';

export const definition: RESTPostAPIContextMenuApplicationCommandsJSONBody = {
  type: ApplicationCommandType.Message,
  name: 'Make it talk',
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
  const target = interaction.targetMessage;
  const withAudio = hasAudio(target);
  // A context-menu target always comes with its content, even without the MESSAGE_CONTENT intent.
  if (!withAudio && target.content.trim() === '') {
    await interaction.reply({ content: WORDS.nothingToSay, flags: 'Ephemeral' });
    return;
  }
  await interaction.deferReply();
  await ctx.afterAcks.wait();
  let speech: SpeechSource;
  if (withAudio) {
    const found = await findVoiceAudio(target, ctx.core, ctx.policy);
    if ('problem' in found) {
      await interaction.editReply({ content: found.problem });
      return;
    }
    speech = voiceFile(found.audio);
  } else {
    // The saved voice, else the default: the core chooses when no voice id is given.
    speech = typedText(spokenText(target.content));
  }
  const outcome = await startJob(ctx, {
    requesterId: interaction.user.id,
    groupId: interaction.guildId ?? '',
    // After the token dies, the answer replies to the target message itself.
    target: { guildId: interaction.guildId ?? undefined, channelId: interaction.channelId, messageId: target.id },
    state: interactionState(interaction),
    image: null,
    speech,
    locale: interaction.locale,
    beforeSpeech: async () => {
      await interaction.editReply({ content: WORDS.makingVoice, allowedMentions: { parse: [] } });
    },
  });
  if ('problem' in outcome) await interaction.editReply(problemMessage(outcome));
}
