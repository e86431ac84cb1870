/**
 * `/avatar-voice set|show|sample|clear`: the voice a person's typed text is spoken in, kept per
 * person as the face is, answered privately. `sample` attaches the voice's clip (fetched by the
 * core: the service's URL may not be reachable from people's clients).
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  Routes,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { toAvatarError } from '../../../core/errors.js';
import type { Voice } from '../../../core/ports.js';
import {
  noSampleSentence,
  sampleTooLargeSentence,
  voiceClearedSentence,
  voiceSampleSentence,
  voiceSavedSentence,
  voiceShownSentence,
} from '../../shared/words/voices.js';
import { interactionState, PLATFORM, type BotContext } from '../context.js';
import { sendMessage } from '../media/multipart.js';
import { answerVoiceAutocomplete, voiceIdFor } from '../voices/choices.js';
import { DISCORD_STYLE, errorWords } from '../words.js';

const voiceOption = (required: boolean, description: string) =>
  ({ type: ApplicationCommandOptionType.String, name: 'voice', description, required, autocomplete: true, max_length: 100 }) as const;

export const definition: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'avatar-voice',
  description: 'Your voice for typed text in /avatar and Make it talk',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'set',
      description: 'Save the voice your typed text is spoken in',
      options: [voiceOption(true, 'The voice (lists as you type)')],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'Show your voice, or the default one' },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'sample',
      description: 'Hear a voice (privately)',
      options: [voiceOption(false, 'The voice to hear (lists as you type); default: yours')],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'clear', description: 'Forget your saved voice (back to the default)' },
  ],
};

/** The file name of a sample clip, by its type. */
function sampleName(type: string): string {
  const ext = { 'audio/wav': 'wav', 'audio/ogg': 'ogg', 'audio/flac': 'flac' }[type] ?? 'mp3';
  return `voice-sample.${ext}`;
}

/** The person's voice for typed text: their saved one, else the default for their language. */
function chosen(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<Voice> {
  return ctx.core.voices.choose(PLATFORM, interaction.user.id, { locale: interaction.locale });
}

async function sample(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<string | null> {
  const given = interaction.options.getString('voice');
  const voice =
    given === null
      ? await chosen(ctx, interaction)
      : await ctx.core.voices.choose(PLATFORM, interaction.user.id, { voiceId: await voiceIdFor(ctx, given) });
  const clip = await ctx.core.voices.sample(voice.id);
  if (clip === null) return noSampleSentence(voice, DISCORD_STYLE);
  const limit = interactionState(interaction).sizeLimit;
  if (clip.audio.byteLength > limit) return sampleTooLargeSentence(voice, clip.audio.byteLength, limit, DISCORD_STYLE);
  await sendMessage(
    ctx.rest,
    'patch',
    Routes.webhookMessage(interaction.applicationId, interaction.token, '@original'),
    { content: `🔊 ${voiceSampleSentence(voice, DISCORD_STYLE)}`, allowed_mentions: { parse: [] } },
    [{ name: sampleName(clip.type), data: clip.audio, contentType: clip.type }],
    false,
  );
  return null;
}

/** The answer's words, or null when the answer was already sent (a sample with its file). */
async function answer(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<string | null> {
  const userId = interaction.user.id;
  switch (interaction.options.getSubcommand(true)) {
    case 'set': {
      const id = await voiceIdFor(ctx, interaction.options.getString('voice', true));
      return `✅ ${voiceSavedSentence(await ctx.core.voices.save(PLATFORM, userId, id), DISCORD_STYLE)}`;
    }
    case 'clear':
      return voiceClearedSentence(await ctx.core.voices.clear(PLATFORM, userId));
    case 'sample':
      return sample(ctx, interaction);
    default: {
      const saved = await ctx.core.voices.saved(PLATFORM, userId);
      return voiceShownSentence(saved, saved === null ? await chosen(ctx, interaction) : null, DISCORD_STYLE);
    }
  }
}

export async function execute(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  await interaction.deferReply({ flags: 'Ephemeral' });
  let content: string | null;
  try {
    content = await answer(ctx, interaction);
  } catch (err) {
    const e = toAvatarError(err);
    // An unknown voice or a service failure is an answer; anything else is the boundary's bug.
    if (e.code === 'INTERNAL') throw err;
    ctx.logger.info({ code: e.code, reason: e.reason }, 'discord: /avatar-voice refused');
    content = `⚠️ ${errorWords(e)}`;
  }
  if (content !== null) await interaction.editReply({ content, allowedMentions: { parse: [] } });
}

export function autocomplete(ctx: BotContext, interaction: AutocompleteInteraction): Promise<void> {
  return answerVoiceAutocomplete(ctx, interaction);
}
