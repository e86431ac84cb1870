/** The Discord bot; undefined (off) without DISCORD_TOKEN. */
import { bool, int, list, optionalString, optionalUrl, trimSlashes, type EnvOf } from './env-values.js';

export const discordEnv = {
  DISCORD_TOKEN: optionalString,
  DISCORD_API_URL: optionalUrl,
  DISCORD_MESSAGE_CONTENT: bool.default(false),
  DISCORD_TOKEN_TTL_SECONDS: int(1, 900, 840),
  DISCORD_ALLOWED_CHANNELS: list,
  DISCORD_ALLOWED_ROLES: list,
  DISCORD_SHARDS: optionalString.refine((v) => v === undefined || v === 'auto' || /^[1-9][0-9]{0,4}$/.test(v), {
    message: "must be 'auto' or a whole number of shards",
  }),
};

export function discordSection(e: EnvOf<typeof discordEnv>) {
  return {
    discord:
      e.DISCORD_TOKEN === undefined
        ? undefined
        : {
            token: e.DISCORD_TOKEN,
            apiUrl: trimSlashes(e.DISCORD_API_URL),
            messageContent: e.DISCORD_MESSAGE_CONTENT,
            tokenTtlMs: e.DISCORD_TOKEN_TTL_SECONDS * 1000,
            allowedChannels: e.DISCORD_ALLOWED_CHANNELS,
            allowedRoles: e.DISCORD_ALLOWED_ROLES,
            /** discord.js sharding: 'auto' asks Discord how many; undefined: one shard. */
            shards: shardsOf(e.DISCORD_SHARDS),
          },
  };
}

function shardsOf(v: string | undefined): 'auto' | number | undefined {
  return v === undefined ? undefined : v === 'auto' ? 'auto' : Number(v);
}
