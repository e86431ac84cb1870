/**
 * `replyTo`: where a Discord job is answered, as the opaque string the core stores:
 * `discord:<guildId or @me>:<channelId>:<messageId or ->`.
 */

/** The parsed form of a Discord `replyTo`. */
export interface DiscordTarget {
  /** undefined for DMs (`@me`). */
  guildId: string | undefined;
  channelId: string;
  /** The message to reply to when answering with the bot token (the voice note, the command's response). */
  messageId: string | undefined;
}

const SNOWFLAKE = /^\d{1,25}$/;

/** Formats a target as `discord:<guild|@me>:<channel>:<message|->`. */
export function formatReplyTo(target: DiscordTarget): string {
  return `discord:${target.guildId ?? '@me'}:${target.channelId}:${target.messageId ?? '-'}`;
}

/** Parses a `replyTo`; returns null for anything that is not a well-formed Discord target. */
export function parseReplyTo(value: string): DiscordTarget | null {
  const parts = value.split(':');
  if (parts.length !== 4 || parts[0] !== 'discord') return null;
  const [, guild, channel, message] = parts as [string, string, string, string];
  if (guild !== '@me' && !SNOWFLAKE.test(guild)) return null;
  if (!SNOWFLAKE.test(channel)) return null;
  if (message !== '-' && !SNOWFLAKE.test(message)) return null;
  return {
    guildId: guild === '@me' ? undefined : guild,
    channelId: channel,
    messageId: message === '-' ? undefined : message,
  };
}
