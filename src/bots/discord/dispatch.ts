/**
 * Routes an interaction to its handler inside a boundary: every error is logged and, where the
 * interaction can still be answered, answered, so no interaction is left hanging.
 */
import type { Interaction } from 'discord.js';
import { toAvatarError } from '../../core/errors.js';
import { AVATAR_COMMAND, FACE_COMMAND, MAKE_IT_TALK } from './commands.js';
import type { BotContext } from './context.js';
import { handleAvatarCommand } from './handle-avatar-command.js';
import { handleButton } from './handle-button.js';
import { handleFaceCommand } from './handle-face-command.js';
import { handleMakeItTalk } from './handle-make-it-talk.js';
import { WORDS } from './words.js';

/** How long an interaction id is remembered against redelivery. */
const DEDUPE_MS = 20 * 60_000;

export async function handleInteraction(ctx: BotContext, interaction: Interaction): Promise<void> {
  try {
    if (!(await ctx.core.dedupe.claim(`discord:interaction:${interaction.id}`, DEDUPE_MS))) return;
    if (interaction.isChatInputCommand()) {
      if (interaction.commandName === AVATAR_COMMAND) return await handleAvatarCommand(ctx, interaction);
      if (interaction.commandName === FACE_COMMAND) return await handleFaceCommand(ctx, interaction);
    } else if (interaction.isMessageContextMenuCommand() && interaction.commandName === MAKE_IT_TALK) {
      return await handleMakeItTalk(ctx, interaction);
    } else if (interaction.isButton()) {
      return await handleButton(ctx, interaction);
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
