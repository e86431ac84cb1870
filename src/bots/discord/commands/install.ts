/**
 * Where the commands can be used. Every command is the person's own (their face, their voice,
 * their videos), so each one makes sense wherever the person is: in a server that installed
 * the bot, in the bot's DM, and, when the person installed the app to their account, in any
 * server, DM or group DM. Answers there go through the interaction only (see replies/reach.ts).
 */
import { ApplicationIntegrationType, InteractionContextType, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';

/** A definition as one server's command list takes it. */
export type ServerCommand = Omit<RESTPostAPIApplicationCommandsJSONBody, 'integration_types' | 'contexts' | 'dm_permission'>;

/** Server install and user install. */
const INSTALL_KINDS: readonly ApplicationIntegrationType[] = [
  ApplicationIntegrationType.GuildInstall,
  ApplicationIntegrationType.UserInstall,
];

/** Servers, the bot's DM, and other DMs and group DMs (the last only through a user install). */
const EVERY_CONTEXT: readonly InteractionContextType[] = [
  InteractionContextType.Guild,
  InteractionContextType.BotDM,
  InteractionContextType.PrivateChannel,
];

/** A definition with its install kinds and contexts (a definition that sets its own keeps them). */
export function installable(definition: RESTPostAPIApplicationCommandsJSONBody): RESTPostAPIApplicationCommandsJSONBody {
  return {
    ...definition,
    integration_types: definition.integration_types ?? [...INSTALL_KINDS],
    contexts: definition.contexts ?? [...EVERY_CONTEXT],
  };
}

/**
 * The install kinds the application supports (Developer Portal > Installation), from the keys
 * of `integration_types_config` in GET /applications/@me; null when it does not say.
 */
export function supportedKinds(app: { integration_types_config?: unknown }): ApplicationIntegrationType[] | null {
  const config = app.integration_types_config;
  if (typeof config !== 'object' || config === null) return null;
  return INSTALL_KINDS.filter((k) => String(k) in config);
}

/**
 * A definition cut to what the application supports: Discord refuses a command asking for an
 * install kind the app has not turned on. Without user install, other people's DMs and group
 * DMs are out of reach too (only a user install is used there).
 */
export function forApp(
  definition: RESTPostAPIApplicationCommandsJSONBody,
  kinds: ApplicationIntegrationType[] | null,
): RESTPostAPIApplicationCommandsJSONBody {
  if (kinds === null || kinds.length === 0) return definition;
  const userInstall = kinds.includes(ApplicationIntegrationType.UserInstall);
  return {
    ...definition,
    integration_types: (definition.integration_types ?? [...INSTALL_KINDS]).filter((k) => kinds.includes(k)),
    contexts: (definition.contexts ?? [...EVERY_CONTEXT]).filter((c) => userInstall || c !== InteractionContextType.PrivateChannel),
  };
}

/**
 * A definition for one server's command list: Discord takes install kinds and contexts only
 * for global commands (a server's commands live in that server), so they are left out.
 */
export function forOneServer(definition: RESTPostAPIApplicationCommandsJSONBody): ServerCommand {
  const { integration_types: _kinds, contexts: _contexts, dm_permission: _dm, ...rest } = definition;
  return rest;
}
