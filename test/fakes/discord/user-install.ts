/**
 * What the fake Discord knows of apps installed to a person (user install): interactions from
 * places the bot is no member of, Discord's forced-private answers where a server turned "Use
 * External Apps" off, and the DM channels the bot opens (POST /users/@me/channels).
 */
import { snowflake, userJson, type Json } from './payloads.js';

/** USE_EXTERNAL_APPS (1 << 50). */
const USE_EXTERNAL_APPS = 1n << 50n;
/** What app_permissions holds in (group) DMs with other people: ATTACH_FILES | EMBED_LINKS | MENTION_EVERYONE. */
const PRIVATE_CHANNEL_PERMISSIONS = ((1n << 15n) | (1n << 14n) | (1n << 17n)).toString();

export type UserInstallPlace =
  /** A server that never added the bot (the person brought the app). */
  | 'foreign-server'
  /** A DM or group DM between people (context PRIVATE_CHANNEL). */
  | 'group-dm'
  /** The DM with the bot (context BOT_DM). */
  | 'bot-dm';

/**
 * Turns an interaction built by payloads.ts (a server-install interaction in the fake's guild)
 * into one from a user install at `where`: `authorizing_integration_owners` names only the
 * person, `context` says where. `externalAppsOff`: the server denies Use External Apps.
 */
export function asUserInstall(interaction: Json, where: UserInstallPlace, opts: { externalAppsOff?: boolean } = {}): Json {
  const member = interaction.member as Json | undefined;
  const user = (member?.user ?? interaction.user) as Json;
  const out: Json = { ...interaction, authorizing_integration_owners: { '1': String(user.id) } };
  const channelId = snowflake();
  out.channel_id = channelId;
  if (where === 'foreign-server') {
    const guildId = snowflake();
    const strip = (p: unknown) => (opts.externalAppsOff === true ? (BigInt(String(p)) & ~USE_EXTERNAL_APPS).toString() : String(p));
    out.guild_id = guildId;
    out.context = 0;
    out.channel = { id: channelId, type: 0, guild_id: guildId, name: 'elsewhere', permissions: strip(out.app_permissions) };
    out.app_permissions = strip(out.app_permissions);
    if (member !== undefined) out.member = { ...member, permissions: strip(member.permissions) };
    return out;
  }
  delete out.guild_id;
  delete out.guild_locale;
  delete out.member;
  out.user = user;
  out.context = where === 'bot-dm' ? 1 : 2;
  out.channel = { id: channelId, type: where === 'bot-dm' ? 1 : 3, recipients: [user] };
  out.app_permissions = PRIVATE_CHANNEL_PERMISSIONS;
  return out;
}

/** True when Discord makes every answer to this interaction private: a user install in a server without Use External Apps. */
export function forcesPrivate(interaction: Json): boolean {
  const owners = (interaction.authorizing_integration_owners ?? {}) as Json;
  if (Number(interaction.context ?? 0) !== 0 || owners['0'] !== undefined) return false;
  return (BigInt(String(interaction.app_permissions ?? '0')) & USE_EXTERNAL_APPS) === 0n;
}

export interface FakeDms {
  /** DM channel id per person the bot opened one with. */
  readonly channels: Map<string, string>;
  /** People who take no DMs from the app: a message to them fails (403, 50007). */
  readonly refusing: Set<string>;
  /** POST /users/@me/channels: the DM channel with `recipientId` (the same one every time). */
  open(recipientId: string, recipient: Json | undefined): Json;
  /** The person a DM channel goes to, or undefined for other channels. */
  recipientOf(channelId: string): string | undefined;
}

export function createFakeDms(): FakeDms {
  const channels = new Map<string, string>();
  const recipients = new Map<string, string>();
  return {
    channels,
    refusing: new Set<string>(),
    open(recipientId, recipient) {
      let id = channels.get(recipientId);
      if (id === undefined) {
        id = snowflake();
        channels.set(recipientId, id);
        recipients.set(id, recipientId);
      }
      return {
        id,
        type: 1,
        last_message_id: null,
        flags: 0,
        recipients: [recipient ?? userJson({ id: recipientId, username: recipientId })],
      };
    },
    recipientOf: (channelId) => recipients.get(channelId),
  };
}
