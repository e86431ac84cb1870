/** `/avatar-face save|show|clear`: the person's saved face, answered privately. */
import { Routes, type ChatInputCommandInteraction } from 'discord.js';
import { toAvatarError } from '../../core/errors.js';
import { PLATFORM, type BotContext } from './context.js';
import { sendMessage } from './multipart.js';
import { inputOf } from './voice.js';
import { errorWords, WORDS } from './words.js';

export async function handleFaceCommand(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const sub = interaction.options.getSubcommand(true);
  const userId = interaction.user.id;
  await interaction.deferReply({ flags: 'Ephemeral' });
  if (sub === 'save') {
    const image = interaction.options.getAttachment('image', true);
    try {
      await ctx.core.faces.save(PLATFORM, userId, inputOf(image, 'image', ctx.policy));
    } catch (err) {
      await interaction.editReply({ content: `⚠️ ${errorWords(toAvatarError(err))}` });
      return;
    }
    await interaction.editReply({ content: WORDS.faceSaved });
    return;
  }
  if (sub === 'clear') {
    const had = await ctx.core.faces.clear(PLATFORM, userId);
    await interaction.editReply({ content: had ? WORDS.faceCleared : WORDS.noFaceToClear });
    return;
  }
  const face = await ctx.core.faces.get(PLATFORM, userId);
  if (face === null) {
    await interaction.editReply({ content: WORDS.noFaceToShow });
    return;
  }
  const sniffed = await ctx.core.sniff(face);
  await sendMessage(
    ctx.rest,
    'patch',
    Routes.webhookMessage(interaction.applicationId, interaction.token, '@original'),
    { content: WORDS.faceShown },
    [{ name: `saved-face.${sniffed.ext ?? 'png'}`, data: face, contentType: sniffed.mime ?? 'application/octet-stream' }],
    false,
  );
}
