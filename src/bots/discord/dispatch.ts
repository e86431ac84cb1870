/**
 * Routes an interaction to its command or button inside one boundary: every error is logged
 * and, where the interaction can still be answered, answered, so no interaction is left hanging.
 */
import type { Interaction } from 'discord.js';
import { toAvatarError } from '../../core/errors.js';
import { firstDelivery } from '../shared/dedupe.js';
import { handleConsentButton } from './buttons/consent.js';
import { parseConsentId } from './buttons/consent-row.js';
import { handleDeleteButton } from './buttons/delete.js';
import { handleJobButton } from './buttons/job-action.js';
import { handleRepostButton, parseRepostId } from './buttons/repost.js';
import { handleSameFaceButton } from './buttons/same-face.js';
import { commandNamed } from './commands/index.js';
import type { BotContext } from './context.js';
import { handleAvatarForm, isAvatarForm } from './modals/avatar-form-submit.js';
import { parseCardActionId } from './replies/components.js';
import { WORDS } from './words.js';

export async function dispatchInteraction(ctx: BotContext, interaction: Interaction): Promise<void> {
  try {
    if (!(await firstDelivery(ctx.core, `discord:interaction:${interaction.id}`))) return;
    if (interaction.isCommand()) {
      await commandNamed(interaction.commandName)?.execute(ctx, interaction);
    } else if (interaction.isAutocomplete()) {
      await commandNamed(interaction.commandName)?.autocomplete?.(ctx, interaction);
    } else if (interaction.isButton()) {
      const repost = parseRepostId(interaction.customId);
      const card = parseCardActionId(interaction.customId);
      const consent = parseConsentId(interaction.customId);
      if (consent !== null) await handleConsentButton(ctx, interaction, consent);
      else if (repost !== null) await handleRepostButton(ctx, interaction, repost);
      else if (card?.action === 'delete') await handleDeleteButton(ctx, interaction, card.jobId);
      else if (card?.action === 'same-face') await handleSameFaceButton(ctx, interaction, card.jobId);
      else await handleJobButton(ctx, interaction);
    } else if (interaction.isModalSubmit()) {
      if (isAvatarForm(interaction.customId)) await handleAvatarForm(ctx, interaction);
    }
  } catch (err) {
    const e = toAvatarError(err);
    ctx.logger.error({ err: e.message, code: e.code, interactionId: interaction.id }, 'discord: interaction handler failed');
    if (!interaction.isRepliable()) return;
    try {
      if (interaction.deferred || interaction.replied) await interaction.editReply({ content: WORDS.internal, components: [] });
      else await interaction.reply({ content: WORDS.internal, flags: 'Ephemeral' });
    } catch (inner) {
      ctx.logger.warn({ err: toAvatarError(inner).message }, 'discord: could not report the failure either');
    }
  }
}
