/**
 * Starting a job from an interaction that carries everything at once (`/avatar` with options,
 * or the one-step form's submit): acknowledge first, then the same start as every entry point
 * (start-job.ts), answered on the interaction's own message.
 */
import { MessageFlags, type Attachment, type ChatInputCommandInteraction, type ModalSubmitInteraction } from 'discord.js';
import { typedText, voiceFile } from '../../core/ports.js';
import { spokenText } from '../shared/spoken-text.js';
import { interactionState, PLATFORM, type BotContext } from './context.js';
import { inputOf } from './media/voice.js';
import { problemMessage, startJob } from './start-job.js';
import { voiceIdFor } from './voices/choices.js';
import { quotaWords, WORDS } from './words.js';

export interface InteractionAsk {
  /** The voice note; null when the text is given instead. */
  audio: Attachment | null;
  text: string | null;
  /** A voice id or exact name as given; null for the person's saved voice or the default. */
  voice: string | null;
  /** null: the saved face. */
  image: Attachment | null;
}

export async function startFromInteraction(
  ctx: BotContext,
  interaction: ChatInputCommandInteraction | ModalSubmitInteraction,
  ask: InteractionAsk,
): Promise<void> {
  // Acknowledge before any download or speech: Discord gives 3 s.
  const deferred = await interaction.deferReply({ withResponse: true });
  await ctx.afterAcks.wait();
  const originalId = deferred.resource?.message?.id ?? (await interaction.fetchReply()).id;
  const voice = ask.voice === null ? undefined : await voiceIdFor(ctx, ask.voice);
  const state = interactionState(interaction);
  // Discord may make a user-installed app's answer private whatever the permissions said.
  if (state.reach === 'interaction' && deferred.resource?.message?.flags.has(MessageFlags.Ephemeral) === true) state.privateOnly = true;
  const outcome = await startJob(ctx, {
    requesterId: interaction.user.id,
    groupId: interaction.guildId ?? '',
    target: { guildId: interaction.guildId ?? undefined, channelId: interaction.channelId ?? '', messageId: originalId },
    state,
    image: ask.image !== null ? inputOf(ask.image, 'image', ctx.policy) : null,
    speech: ask.audio !== null ? voiceFile(inputOf(ask.audio, 'audio', ctx.policy)) : typedText(spokenText(ask.text ?? ''), voice),
    locale: interaction.locale,
    beforeSpeech: async () => {
      await interaction.editReply({ content: WORDS.makingVoice, allowedMentions: { parse: [] } });
    },
  });
  if ('problem' in outcome) {
    await interaction.editReply(problemMessage(outcome));
    return;
  }
  // When a daily quota is on, the person sees what is left (privately).
  const left = quotaWords(await ctx.core.quota(PLATFORM, interaction.user.id, interaction.guildId ?? ''));
  if (left !== null) await interaction.followUp({ content: left, flags: 'Ephemeral', allowedMentions: { parse: [] } });
}
