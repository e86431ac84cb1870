/** Cancel and Retry buttons on a progress message: only the requester may press them. */
import type { ButtonInteraction } from 'discord.js';
import { runJobAction } from '../../shared/job-action.js';
import { interactionState, PLATFORM, type BotContext } from '../context.js';
import { parseActionId } from '../replies/components.js';
import { encodeReplyState } from '../replies/reply-state.js';
import { errorWords, WORDS } from '../words.js';

export async function handleJobButton(ctx: BotContext, interaction: ButtonInteraction): Promise<void> {
  const action = parseActionId(interaction.customId);
  if (action === null) return;
  const outcome = await runJobAction(
    { core: ctx.core, logger: ctx.logger, platform: PLATFORM },
    {
      action: action.action,
      jobId: action.jobId,
      requesterId: interaction.user.id,
      // The new job's progress edits this message through this button's fresh token.
      replyState: encodeReplyState(interactionState(interaction)),
      acknowledge: async () => {
        if (action.action === 'cancel') {
          // The core answers the canceled job through the ChatReply (edits this message).
          await interaction.deferUpdate();
        } else {
          // Acknowledge and clear the button at once.
          await interaction.update({ content: WORDS.retrying, components: [] });
        }
      },
    },
  );
  if ('job' in outcome) return;
  const e = outcome.refused;
  if (outcome.stage === 'check') {
    // Nobody has touched the message: say why privately.
    const content = e.code === 'NOT_ALLOWED' ? WORDS.onlyRequester : errorWords(e);
    await interaction.reply({ content, flags: 'Ephemeral' });
  } else if (action.action === 'retry') {
    // The Retry button is already gone: the message itself says why the retry did not start.
    await interaction.editReply({ content: `⚠️ ${errorWords(e)}`, components: [] });
  } else {
    await interaction.followUp({ content: `⚠️ ${errorWords(e)}`, flags: 'Ephemeral' });
  }
}
