/**
 * DISCORD_SHARDS -> discord.js Client sharding options.
 *
 * Internal sharding on purpose: the one Client in this process opens every shard's gateway
 * connection itself (@discordjs/ws, identifies throttled by `max_concurrency`). ShardingManager
 * would instead fork a process per shard from a script file, and each of those would start its
 * own app (core, store, HTTP server, Slack adapter) over the same data: the bot is built as one
 * process around one core, so that process holds all its shards.
 */
import type { ClientOptions } from 'discord.js';

export type ShardSetting = 'auto' | number | undefined;

export type ShardOptions = Pick<ClientOptions, 'shards' | 'shardCount'>;

/**
 * - `'auto'`: discord.js asks `GET /gateway/bot` for the recommended count and opens them all;
 * - `N`: shards `0..N-1` of `N`, whatever Discord recommends;
 * - unset: no option (discord.js's default, one shard `[0, 1]`).
 */
export function shardOptions(shards: ShardSetting): ShardOptions {
  if (shards === undefined) return {};
  if (shards === 'auto') return { shards: 'auto' };
  if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`invalid shard count: ${String(shards)}`);
  return { shards: Array.from({ length: shards }, (_, i) => i), shardCount: shards };
}
