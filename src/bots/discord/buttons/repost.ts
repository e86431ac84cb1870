/**
 * "Post n" under `/avatar-history`: posts one earlier video's link in the channel, publicly,
 * as the answer to the click (through the interaction, so it also works where the app is
 * installed to the person and not a member of the channel). Only the person's own finished
 * video with its link; anything else is answered privately.
 */
import type { ButtonInteraction } from 'discord.js';
import { notRepostableSentence, repostSentence } from '../../shared/words/history.js';
import { privateOnlyNote } from '../../shared/words/reach.js';
import { checkAccess } from '../access.js';
import { accessOf, PLATFORM, type BotContext } from '../context.js';
import { repostable } from '../history/lines.js';
import { reachOf } from '../replies/reach.js';
import { errorWords, WORDS } from '../words.js';

const PREFIX = 'avatar:repost:';

export function repostId(jobId: string): string {
  return `${PREFIX}${jobId}`;
}

/** The job id of a repost button, or null for other buttons. */
export function parseRepostId(customId: string): string | null {
  return customId.startsWith(PREFIX) && customId.length > PREFIX.length ? customId.slice(PREFIX.length) : null;
}

export async function handleRepostButton(ctx: BotContext, interaction: ButtonInteraction, jobId: string): Promise<void> {
  const privately = (content: string) => interaction.reply({ content, flags: 'Ephemeral', allowedMentions: { parse: [] } });
  const job = await ctx.core.jobs.get(jobId);
  if (job === null || job.platform !== PLATFORM) {
    await privately(errorWords({ code: 'NOT_FOUND' }));
    return;
  }
  if (job.requesterId !== interaction.user.id) {
    await privately(WORDS.onlyRequester);
    return;
  }
  if (!repostable(job) || job.fileUrl === null) {
    await privately(notRepostableSentence());
    return;
  }
  // Posting is making something public here: the channel and role allow-lists apply.
  const denied = checkAccess(ctx.config, accessOf(interaction));
  if (denied !== null) {
    await privately(denied);
    return;
  }
  const shared = repostSentence(`<@${interaction.user.id}>`, job.fileUrl);
  // Where a server keeps external apps private, Discord shows even this to the person alone.
  const content = reachOf(interaction).privateOnly ? `${shared}\n-# ${privateOnlyNote()}` : shared;
  await interaction.reply({ content, allowedMentions: { parse: [] } });
}
