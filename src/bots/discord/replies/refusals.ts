/** What Discord's refusals of an answer mean for the ChatReply: which way to answer instead. */
import { DiscordAPIError } from 'discord.js';

/** Discord error codes meaning "this interaction token can no longer be used". */
const DEAD_TOKEN_CODES = new Set<number | string>([50027, 10015, 10062, 10008]);
/** "Request entity too large": the upload did not fit after all. */
const TOO_LARGE_CODE = 40005;
/** Unknown Channel, Missing Access, Missing Permissions: the bot token cannot post in that channel. */
const SHUT_OUT_CODES = new Set<number | string>([10003, 50001, 50013]);

/** The interaction token is dead: answer with the bot token (or by DM) instead. */
export function isDeadToken(err: unknown): boolean {
  return err instanceof DiscordAPIError && (DEAD_TOKEN_CODES.has(err.code) || err.status === 401);
}

/** The upload was refused as too large: send the link without the file. */
export function isTooLarge(err: unknown): boolean {
  return err instanceof DiscordAPIError && (err.code === TOO_LARGE_CODE || err.status === 413);
}

/** The bot cannot post in the channel: answer by DM. */
export function isShutOut(err: unknown): boolean {
  return err instanceof DiscordAPIError && SHUT_OUT_CODES.has(err.code);
}
