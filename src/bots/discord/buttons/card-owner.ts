/** The check every result-card button makes first: the job is ours and the clicker asked for it. */
import type { ButtonInteraction } from 'discord.js';
import type { JobView } from '../../../core/ports.js';
import { PLATFORM, type BotContext } from '../context.js';
import { errorWords, WORDS } from '../words.js';

/** The job, or null once the clicker has been told privately why not (unknown job, someone else's). */
export async function ownJobOrSay(ctx: BotContext, interaction: ButtonInteraction, jobId: string): Promise<JobView | null> {
  const job = await ctx.core.jobs.get(jobId);
  if (job === null || job.platform !== PLATFORM || job.discardedAt !== null) {
    await interaction.reply({ content: errorWords({ code: 'NOT_FOUND' }), flags: 'Ephemeral' });
    return null;
  }
  if (job.requesterId !== interaction.user.id) {
    await interaction.reply({ content: WORDS.onlyRequester, flags: 'Ephemeral' });
    return null;
  }
  return job;
}
