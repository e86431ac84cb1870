/**
 * The application commands, and their registration by bulk overwrite (PUT), globally or for
 * one server (instant, for testing).
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  REST,
  Routes,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config.js';

export const AVATAR_COMMAND = 'avatar';
export const FACE_COMMAND = 'avatar-face';
export const MAKE_IT_TALK = 'Make it talk';

/** The command definitions the bot serves. */
export function commandDefinitions(): RESTPostAPIApplicationCommandsJSONBody[] {
  const contexts = [InteractionContextType.Guild];
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: AVATAR_COMMAND,
      description: 'Make a face speak a voice note',
      contexts,
      options: [
        {
          type: ApplicationCommandOptionType.Attachment,
          name: 'audio',
          description: 'The voice note (an audio file)',
          required: true,
          file_types: ['audio'],
        },
        {
          type: ApplicationCommandOptionType.Attachment,
          name: 'image',
          description: 'The face (a photo); leave out to use your saved face',
          required: false,
          file_types: ['image'],
        },
      ],
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: FACE_COMMAND,
      description: 'Your saved face for /avatar',
      contexts,
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
      ],
    },
    { type: ApplicationCommandType.Message, name: MAKE_IT_TALK, contexts },
  ];
}

/** A REST client for the configured API base, authenticated with the bot token. */
export function createRest(config: NonNullable<AppConfig['discord']>): REST {
  const rest = new REST(config.apiUrl !== undefined ? { api: config.apiUrl } : {});
  return rest.setToken(config.token);
}

/** Overwrites the application's commands (global, or one server's when `guildId` is given). */
export async function registerDiscordCommands(
  config: NonNullable<AppConfig['discord']>,
  opts: { guildId?: string },
  deps: { logger: Logger },
): Promise<{ count: number; scope: 'global' | 'guild' }> {
  const rest = createRest(config);
  try {
    const app = (await rest.get(Routes.currentApplication())) as { id?: unknown };
    if (typeof app.id !== 'string') throw new Error('GET /applications/@me gave no application id');
    const route =
      opts.guildId !== undefined ? Routes.applicationGuildCommands(app.id, opts.guildId) : Routes.applicationCommands(app.id);
    const saved = (await rest.put(route, { body: commandDefinitions() })) as unknown[];
    const scope = opts.guildId !== undefined ? 'guild' : 'global';
    deps.logger.info({ count: saved.length, scope, guildId: opts.guildId }, 'discord: commands registered');
    return { count: saved.length, scope };
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}
