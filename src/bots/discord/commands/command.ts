/**
 * What a command file exports, `{ definition, execute }`, and the one shape the dispatcher
 * holds: a command whose `execute` only ever sees the kind of interaction it was defined for.
 */
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  CommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from '../context.js';

export interface DiscordCommand {
  definition: RESTPostAPIApplicationCommandsJSONBody;
  execute(ctx: BotContext, interaction: CommandInteraction): Promise<void>;
  /** Answers an option marked `autocomplete` (within Discord's 3 s); must never throw. */
  autocomplete?(ctx: BotContext, interaction: AutocompleteInteraction): Promise<void>;
}

/** A slash command module; `autocomplete` when one of its options autocompletes. */
export function slashCommand(module: {
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void>;
  autocomplete?(ctx: BotContext, interaction: AutocompleteInteraction): Promise<void>;
}): DiscordCommand {
  return {
    definition: module.definition,
    execute: async (ctx, interaction) => {
      if (interaction.isChatInputCommand()) await module.execute(ctx, interaction);
    },
    ...(module.autocomplete !== undefined ? { autocomplete: module.autocomplete } : {}),
  };
}

/** A message context-menu command module. */
export function messageCommand(module: {
  definition: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  execute(ctx: BotContext, interaction: MessageContextMenuCommandInteraction): Promise<void>;
}): DiscordCommand {
  return {
    definition: module.definition,
    execute: async (ctx, interaction) => {
      if (interaction.isMessageContextMenuCommand()) await module.execute(ctx, interaction);
    },
  };
}
