/**
 * Delete on a result card (requester only): the bot's message for the job goes first (through
 * the job's interaction token while it lives, else with the bot token), then the core discards
 * the job (its files, link and text). A message already gone counts as removed.
 */
import { DiscordAPIError, Routes, type ButtonInteraction } from 'discord.js';
import { toAvatarError } from '../../../core/errors.js';
import type { JobView } from '../../../core/ports.js';
import { deletedSentence } from '../../shared/words/result-card.js';
import type { BotContext } from '../context.js';
import { decodeReplyState, tokenAlive } from '../replies/reply-state.js';
import { parseReplyTo } from '../reply-to.js';
import { DISCORD_STYLE, errorWords } from '../words.js';
import { ownJobOrSay } from './card-owner.js';

/** "Unknown Message": already deleted. */
const UNKNOWN_MESSAGE = 10008;

/** Removes the job's message; false when every way was refused (logged). */
async function removeJobMessage(ctx: BotContext, job: JobView, clicked: { id: string; channelId: string }): Promise<boolean> {
  const state = decodeReplyState(job.replyState);
  const target = parseReplyTo(job.replyTo);
  const attempts: Array<{ how: string; run: () => Promise<unknown> }> = [];
  if (tokenAlive(state, ctx.config.tokenTtlMs, Date.now()) && state.messageId === undefined) {
    const { appId, token } = state as { appId: string; token: string };
    attempts.push({
      how: 'interaction token',
      run: () => ctx.rest.delete(Routes.webhookMessage(appId, token, '@original'), { auth: false }),
    });
  }
  // The bot's own message, or the card itself (an interaction's answer is the bot's message too).
  const [channelId, messageId] =
    state.messageId !== undefined && target !== null ? [target.channelId, state.messageId] : [clicked.channelId, clicked.id];
  attempts.push({ how: 'bot token', run: () => ctx.rest.delete(Routes.channelMessage(channelId, messageId)) });
  for (const attempt of attempts) {
    try {
      await attempt.run();
      return true;
    } catch (err) {
      if (err instanceof DiscordAPIError && err.code === UNKNOWN_MESSAGE) return true;
      ctx.logger.info({ jobId: job.id, how: attempt.how, err: toAvatarError(err).message }, 'discord: could not delete the result message');
    }
  }
  return false;
}

export async function handleDeleteButton(ctx: BotContext, interaction: ButtonInteraction, jobId: string): Promise<void> {
  const job = await ownJobOrSay(ctx, interaction, jobId);
  if (job === null) return;
  await interaction.deferReply({ flags: 'Ephemeral' });
  const removed = await removeJobMessage(ctx, job, { id: interaction.message.id, channelId: interaction.message.channelId });
  try {
    await ctx.core.jobs.discard(job.id, interaction.user.id);
  } catch (err) {
    await interaction.editReply({ content: `⚠️ ${errorWords(toAvatarError(err))}` });
    return;
  }
  await interaction.editReply({ content: `🗑️ ${deletedSentence({ messageKept: !removed }, DISCORD_STYLE)}` });
}
