/** Cancel and Retry buttons on a progress message: only the requester may press them. */
import type { ButtonInteraction } from 'discord.js';
import { toAvatarError } from '../../core/errors.js';
import { parseActionId } from './components.js';
import { interactionState, type BotContext } from './context.js';
import { encodeReplyState } from './reply-state.js';
import { errorWords, WORDS } from './words.js';

export async function handleButton(ctx: BotContext, interaction: ButtonInteraction): Promise<void> {
  const action = parseActionId(interaction.customId);
  if (action === null) return;
  const job = await ctx.core.jobs.get(action.jobId);
  if (job === null) {
    await interaction.reply({ content: errorWords({ code: 'NOT_FOUND', message: '' }), flags: 'Ephemeral' });
    return;
  }
  if (job.requesterId !== interaction.user.id) {
    await interaction.reply({ content: WORDS.onlyRequester, flags: 'Ephemeral' });
    return;
  }
  try {
    if (action.action === 'cancel') {
      await interaction.deferUpdate();
      // The core answers the canceled job through the ChatReply (edits this message).
      await ctx.core.jobs.cancel(job.id, interaction.user.id);
      return;
    }
    // Acknowledge and clear the button at once; the new job's progress edits this message
    // through this button's fresh token.
    await interaction.update({ content: WORDS.retrying, components: [] });
    await ctx.core.jobs.retry(job.id, interaction.user.id, encodeReplyState(interactionState(interaction)));
  } catch (err) {
    const e = toAvatarError(err);
    ctx.logger.info({ code: e.code, jobId: job.id, action: action.action }, 'discord: button refused');
    if (action.action === 'retry') {
      // The Retry button is already gone: the message itself says why the retry did not start.
      await interaction.editReply({ content: `⚠️ ${errorWords(e)}`, components: [] });
    } else {
      await interaction.followUp({ content: `⚠️ ${errorWords(e)}`, flags: 'Ephemeral' });
    }
  }
}
