/**
 * Registration of the commands by bulk overwrite (PUT), globally or for one server (instant,
 * for testing).
 */
import { ApplicationIntegrationType, Routes } from 'discord.js';
import type { Logger } from 'pino';
import type { DiscordConfig } from '../context.js';
import { createRest } from '../rest.js';
import { commandDefinitions } from './index.js';
import { forApp, forOneServer, supportedKinds } from './install.js';

/** Overwrites the application's commands (global, or one server's when `guildId` is given). */
export async function registerDiscordCommands(
  config: DiscordConfig,
  opts: { guildId?: string },
  deps: { logger: Logger },
): Promise<{ count: number; scope: 'global' | 'guild' }> {
  const rest = createRest(config);
  try {
    const app = (await rest.get(Routes.currentApplication())) as { id?: unknown; integration_types_config?: unknown };
    if (typeof app.id !== 'string') throw new Error('GET /applications/@me gave no application id');
    const route = opts.guildId !== undefined ? Routes.applicationGuildCommands(app.id, opts.guildId) : Routes.applicationCommands(app.id);
    const kinds = supportedKinds(app);
    if (kinds !== null && !kinds.includes(ApplicationIntegrationType.UserInstall)) {
      deps.logger.info(
        'discord: user install is off for this application (Developer Portal > Installation); commands are registered for server installs only',
      );
    }
    const definitions = commandDefinitions().map((d) => forApp(d, kinds));
    const body = opts.guildId !== undefined ? definitions.map(forOneServer) : definitions;
    const saved = (await rest.put(route, { body })) as unknown[];
    const scope = opts.guildId !== undefined ? 'guild' : 'global';
    deps.logger.info({ count: saved.length, scope, guildId: opts.guildId }, 'discord: commands registered');
    return { count: saved.length, scope };
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}
