/**
 * The Discord adapter (discord.js v14): `/avatar`, `/avatar-face`, the "Make it talk" message
 * menu, and mention-replies to voice notes, answered through the core's jobs.
 */
import { ApplicationIntegrationType, Client, Events, GatewayIntentBits, OAuth2Scopes, PermissionFlagsBits, type Message } from 'discord.js';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config/index.js';
import { toAvatarError } from '../../core/errors.js';
import type { AvatarCore } from '../../core/ports.js';
import { createConsentWaits } from '../shared/consent-waits.js';
import { PLATFORM, type BotContext } from './context.js';
import { dispatchInteraction } from './dispatch.js';
import { discordHostPolicy } from './media/attachments.js';
import { handleMention } from './mention.js';
import { createDiscordReply } from './replies/chat-reply.js';
import { createQuietGate } from '../shared/quiet-gate.js';
import { createRest } from './rest.js';
import { shardOptions } from './shard-options.js';
import type { JobAsk } from './start-job.js';

export { commandDefinitions } from './commands/index.js';
export { registerDiscordCommands } from './commands/register.js';

export interface DiscordBot {
  start(): Promise<void>;
  stop(): Promise<void>;
  isReady(): boolean;
}

export interface DiscordBotDeps {
  core: AvatarCore;
  logger: Logger;
  /** Minimum gap between progress edits of one job (default 2500 ms). */
  progressIntervalMs?: number;
  /**
   * false: answer jobs through REST only, never open the gateway (ROLE=worker: the gateway
   * replica holds the shards and receives the interactions). Default true.
   */
  listen?: boolean;
}

/** The permissions the bot asks for in its invite. */
const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory;

/** The invite link for an application id. */
export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(' '),
    permissions: BOT_PERMISSIONS.toString(),
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}

/**
 * The link a person opens to add the app to their own account (user install: commands only,
 * no bot in any server), so they can use it in any server, DM or group DM.
 */
export function userInstallUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    integration_type: String(ApplicationIntegrationType.UserInstall),
    scope: OAuth2Scopes.ApplicationsCommands,
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}

/**
 * Builds the bot and registers its ChatReply with the core at once, so the core can answer
 * resumed jobs from its start(), even before the gateway connects.
 */
export function createDiscordBot(config: NonNullable<AppConfig['discord']>, deps: DiscordBotDeps): DiscordBot {
  const logger = deps.logger;
  const rest = createRest(config);
  const reply = createDiscordReply(
    { tokenTtlMs: config.tokenTtlMs, progressIntervalMs: deps.progressIntervalMs ?? 2500 },
    { rest, logger },
  );
  deps.core.registerReply(PLATFORM, reply);
  const policy = discordHostPolicy(config.apiUrl);
  // Outlives a gateway reconnect (stop/start): a click on a question asked before still finds its request.
  const consentWaits = createConsentWaits<JobAsk>();
  let client: Client | null = null;

  const listen = deps.listen ?? true;

  return {
    async start() {
      if (client !== null || !listen) return;
      const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];
      // Privileged: asking for it while it is off in the developer portal closes the gateway (4014).
      if (config.messageContent) intents.push(GatewayIntentBits.MessageContent);
      const c = new Client({
        intents,
        ...shardOptions(config.shards),
        ...(config.apiUrl !== undefined ? { rest: { api: config.apiUrl } } : {}),
      });
      client = c;
      const ctx: BotContext = { config, core: deps.core, logger, policy, client: c, rest, consentWaits, afterAcks: createQuietGate() };
      c.on(Events.InteractionCreate, (interaction) => {
        void dispatchInteraction(ctx, interaction);
      });
      c.on(Events.MessageCreate, (message: Message) => {
        handleMention(ctx, message).catch((err: unknown) => {
          logger.error({ err: toAvatarError(err).message, messageId: message.id }, 'discord: mention handler failed');
        });
      });
      c.on(Events.Error, (err) => logger.error({ err: err.message }, 'discord: client error'));
      const ready = new Promise<void>((resolve) => {
        c.once(Events.ClientReady, (r) => {
          // All shards are ready here; shardCount is the resolved total (also for 'auto').
          logger.info({ user: r.user.tag, guilds: r.guilds.cache.size, shards: r.options.shardCount }, 'discord: connected');
          if (r.guilds.cache.size === 0) {
            logger.info(
              { invite: inviteUrl(r.application.id), userInstall: userInstallUrl(r.application.id) },
              'discord: the bot is in no server yet; invite it with this link (or add it to your account with the user-install one)',
            );
          }
          resolve();
        });
      });
      try {
        await c.login(config.token);
        await ready;
      } catch (err) {
        client = null;
        await c.destroy();
        // @discordjs/ws rejects with a plain Error ("Used disallowed intents") on close code 4014.
        if (err instanceof Error && /disallowed intents|privileged intent/i.test(err.message)) {
          logger.error(
            'discord: DISCORD_MESSAGE_CONTENT=true but the Message Content intent is off in the developer portal; turn it on (Bot > Privileged Gateway Intents) or set DISCORD_MESSAGE_CONTENT=false',
          );
        }
        throw err;
      }
    },
    async stop() {
      const c = client;
      client = null;
      if (c !== null) await c.destroy();
      reply.dispose();
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },
    isReady() {
      return listen ? (client?.isReady() ?? false) : true;
    },
  };
}
