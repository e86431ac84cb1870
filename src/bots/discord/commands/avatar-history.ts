/**
 * `/avatar-history`: the person's last ten videos, privately, with a button to post one again
 * in the channel. Its own command: `/avatar` has options, and Discord does not let a command
 * mix options with subcommands.
 */
import { ApplicationCommandType, type ChatInputCommandInteraction, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { HISTORY_LIMIT, noHistorySentence } from '../../shared/words/history.js';
import { PLATFORM, type BotContext } from '../context.js';
import { historyContent, repostRows } from '../history/lines.js';

export const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'avatar-history',
  description: `Your last ${HISTORY_LIMIT} talking-avatar videos (only you see the list)`,
};

export async function execute(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  await interaction.deferReply({ flags: 'Ephemeral' });
  const jobs = await ctx.core.jobs.listForRequester(PLATFORM, interaction.user.id, HISTORY_LIMIT);
  if (jobs.length === 0) {
    await interaction.editReply({ content: noHistorySentence() });
    return;
  }
  await interaction.editReply({ content: historyContent(jobs), components: repostRows(jobs), allowedMentions: { parse: [] } });
}
