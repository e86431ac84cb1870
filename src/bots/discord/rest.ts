import { REST } from 'discord.js';
import type { DiscordConfig } from './context.js';

/** A REST client for the configured API base, authenticated with the bot token. */
export function createRest(config: DiscordConfig): REST {
  const rest = new REST(config.apiUrl !== undefined ? { api: config.apiUrl } : {});
  return rest.setToken(config.token);
}
