/**
 * Whether the bot can post in the interaction's channel with its own token, or may answer only
 * through the interaction. A person can install the app to their account and use it in any
 * server, DM or group DM; there the bot is no member of the channel: it answers by editing the
 * interaction's response while the token lives (15 minutes), and after that by a DM to the
 * person. Where a server has turned "Use External Apps" off, Discord shows such answers to the
 * person alone, and the answer says so.
 */
import { InteractionContextType, PermissionFlagsBits, type Interaction } from 'discord.js';

/** `channel`: the bot is in the channel (server install, or its own DM); `interaction`: it is not. */
type Reach = 'channel' | 'interaction';

export interface ReachFacts {
  reach: Reach;
  /** Discord makes the answers private (only the person sees them). */
  privateOnly: boolean;
}

type ReachInput = Pick<Interaction, 'context' | 'guildId' | 'authorizingIntegrationOwners' | 'appPermissions' | 'memberPermissions'>;

export function reachOf(interaction: ReachInput): ReachFacts {
  const context = interaction.context;
  // The bot's own DM: it can always post there.
  if (context === InteractionContextType.BotDM) return { reach: 'channel', privateOnly: false };
  // DMs and group DMs of other people: the bot is never a member.
  if (context === InteractionContextType.PrivateChannel) return { reach: 'interaction', privateOnly: false };
  const guildId = interaction.guildId;
  if (guildId === null) return { reach: 'channel', privateOnly: false };
  // In a server, the server-install key names that server only when the bot was added to it.
  if (interaction.authorizingIntegrationOwners.guildId === guildId) return { reach: 'channel', privateOnly: false };
  // The app's permissions here follow the person's; without Use External Apps, answers are private.
  const lacks = (p: { has(bit: bigint): boolean } | null) => p !== null && !p.has(PermissionFlagsBits.UseExternalApps);
  return { reach: 'interaction', privateOnly: lacks(interaction.appPermissions) || lacks(interaction.memberPermissions) };
}
