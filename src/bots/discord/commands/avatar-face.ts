/**
 * `/avatar-face save|show|clear|forget`: the person's saved face, answered privately; `forget`
 * deletes everything the bot keeps of the person (it lives here because `/avatar` takes files,
 * and a command with options cannot also have subcommands).
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  Routes,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { toAvatarError } from '../../../core/errors.js';
import { PLATFORM, type BotContext } from '../context.js';
import { sendMessage } from '../media/multipart.js';
import { inputOf } from '../media/voice.js';
import { errorWords, forgetWords, WORDS } from '../words.js';

export const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'avatar-face',
  description: 'Your saved face for /avatar',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'save',
      description: 'Save a face to use when you give no image',
      options: [
        {
          type: ApplicationCommandOptionType.Attachment,
          name: 'image',
          description: 'A photo of a face',
          required: true,
          file_types: ['image'],
        },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'Show your saved face' },
    { type: ApplicationCommandOptionType.Subcommand, name: 'clear', description: 'Forget your saved face' },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'forget',
      description: 'Forget me: delete EVERYTHING kept of you (face, voice, videos, history); running videos are canceled',
    },
  ],
};

export async function execute(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
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
  if (sub === 'forget') {
    let content: string;
    try {
      content = forgetWords(await ctx.core.jobs.forgetPerson(PLATFORM, userId));
    } catch (err) {
      ctx.logger.error({ err: toAvatarError(err).message }, 'forget me failed');
      content = `⚠️ ${errorWords(toAvatarError(err))}`;
    }
    await interaction.editReply({ content, allowedMentions: { parse: [] } });
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
