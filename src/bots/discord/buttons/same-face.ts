/** "Same face, new voice note" on a result card: the one-step form without the face field. */
import type { ButtonInteraction } from 'discord.js';
import type { BotContext } from '../context.js';
import { avatarFormModal } from '../modals/avatar-form.js';
import { ownJobOrSay } from './card-owner.js';

export async function handleSameFaceButton(ctx: BotContext, interaction: ButtonInteraction, jobId: string): Promise<void> {
  // Someone else's card: their saved face is not the one on this video, so only the requester.
  const job = await ownJobOrSay(ctx, interaction, jobId);
  if (job === null) return;
  await interaction.showModal(await avatarFormModal(ctx, interaction.user.id, { face: false }));
}
