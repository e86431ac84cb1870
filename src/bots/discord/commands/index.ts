/**
 * The commands the bot serves, by name. A new command is one file in this folder exporting
 * `{ definition, execute }` and one line in the list below.
 */
import type { RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import * as avatarFace from './avatar-face.js';
import * as avatarHistory from './avatar-history.js';
import * as avatarVoice from './avatar-voice.js';
import * as avatar from './avatar.js';
import { messageCommand, slashCommand, type DiscordCommand } from './command.js';
import { installable } from './install.js';
import * as makeItTalk from './make-it-talk.js';

const COMMANDS: readonly DiscordCommand[] = [
  slashCommand(avatar),
  slashCommand(avatarFace),
  slashCommand(avatarVoice),
  slashCommand(avatarHistory),
  messageCommand(makeItTalk),
];

const BY_NAME = new Map(COMMANDS.map((c) => [c.definition.name, c]));

/** The command for an interaction's name, if it is one of ours. */
export function commandNamed(name: string): DiscordCommand | undefined {
  return BY_NAME.get(name);
}

/** The command definitions, as registered with Discord: each usable with both install kinds, everywhere. */
export function commandDefinitions(): RESTPostAPIApplicationCommandsJSONBody[] {
  return COMMANDS.map((c) => installable(c.definition));
}
