/**
 * Builders for the gateway payloads the fake pushes (INTERACTION_CREATE, MESSAGE_CREATE) and
 * the objects inside them, shaped like Discord API v10 sends them.
 */
import { snowflake } from './snowflake.js';

export type Json = Record<string, unknown>;

export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean;
}

export interface FakeAttachmentSpec {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
  /** Voice messages carry these. */
  durationSecs?: number;
  waveform?: string;
}

export function userJson(u: FakeUser): Json {
  return {
    id: u.id,
    username: u.username,
    discriminator: '0',
    global_name: u.username,
    avatar: null,
    bot: u.bot ?? false,
    public_flags: 0,
  };
}

export function memberJson(u: FakeUser, roles: string[]): Json {
  return {
    user: userJson(u),
    roles,
    joined_at: new Date(Date.UTC(2024, 0, 1)).toISOString(),
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    nick: null,
    avatar: null,
    premium_since: null,
    communication_disabled_until: null,
    permissions: '2248473465835073',
  };
}

/** The options of a slash command as Discord sends them (already resolved ids). */
export interface SlashOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: SlashOption[];
  /** Only in autocomplete requests: the option being typed in. */
  focused?: boolean;
}

export interface InteractionBase {
  applicationId: string;
  guildId: string;
  channelId: string;
  user: FakeUser;
  roles?: string[];
  /** Discord's per-interaction upload limit; omitted when unknown. */
  attachmentSizeLimit?: number;
  /** The person's client language (default `en-US`). */
  locale?: string;
}

export function interactionEnvelope(base: InteractionBase, type: number, data: Json, extra: Json = {}): Json {
  return {
    id: snowflake(),
    application_id: base.applicationId,
    type,
    data,
    guild_id: base.guildId,
    channel_id: base.channelId,
    channel: { id: base.channelId, type: 0, guild_id: base.guildId, name: 'general', permissions: '2248473465835073' },
    member: memberJson(base.user, base.roles ?? []),
    token: `itk-${snowflake()}-${Math.random().toString(36).slice(2)}`,
    version: 1,
    app_permissions: '2248473465835073',
    locale: base.locale ?? 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': base.guildId },
    context: 0,
    ...(base.attachmentSizeLimit !== undefined ? { attachment_size_limit: base.attachmentSizeLimit } : {}),
    ...extra,
  };
}

/** A slash command (type 2, data.type 1) with resolved attachments. */
export function slashInteraction(
  base: InteractionBase,
  command: { name: string; commandId?: string; options: SlashOption[]; attachments: Json[] },
): Json {
  const resolved: Json = {};
  if (command.attachments.length > 0) {
    resolved.attachments = Object.fromEntries(command.attachments.map((a) => [String(a.id), a]));
  }
  return interactionEnvelope(base, 2, {
    id: command.commandId ?? snowflake(),
    name: command.name,
    type: 1,
    options: command.options,
    ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
  });
}

/**
 * An autocomplete request (type 4, APPLICATION_COMMAND_AUTOCOMPLETE) while the person types in
 * `focused` (a string option), inside `subcommand` when given. Other options already filled in
 * come as they are; Discord sends no resolved data here.
 */
export function autocompleteInteraction(
  base: InteractionBase,
  command: { name: string; focused: { name: string; value: string }; subcommand?: string; others?: SlashOption[] },
): Json {
  const options: SlashOption[] = [
    ...(command.others ?? []),
    { name: command.focused.name, type: 3, value: command.focused.value, focused: true },
  ];
  return interactionEnvelope(base, 4, {
    id: snowflake(),
    name: command.name,
    type: 1,
    options: command.subcommand === undefined ? options : [{ name: command.subcommand, type: 1, options }],
  });
}

/** A message context-menu command (type 2, data.type 3) on `target`. */
export function messageMenuInteraction(base: InteractionBase, name: string, target: Json): Json {
  return interactionEnvelope(base, 2, {
    id: snowflake(),
    name,
    type: 3,
    target_id: target.id,
    resolved: { messages: { [String(target.id)]: target } },
  });
}

/** A button click (type 3) on `message`. */
export function buttonInteraction(base: InteractionBase, customId: string, message: Json): Json {
  return interactionEnvelope(base, 3, { custom_id: customId, component_type: 2 }, { message });
}

/** A message as Discord sends it in MESSAGE_CREATE or REST answers. */
export function messageJson(m: {
  id?: string;
  channelId: string;
  guildId?: string;
  author: FakeUser;
  content?: string;
  attachments?: Json[];
  flags?: number;
  mentions?: FakeUser[];
  reference?: { messageId: string; channelId: string; guildId?: string };
  components?: unknown[];
  embeds?: unknown[];
  applicationId?: string;
  webhookId?: string;
  type?: number;
}): Json {
  const msg: Json = {
    id: m.id ?? snowflake(),
    type: m.type ?? (m.reference !== undefined ? 19 : 0),
    channel_id: m.channelId,
    author: userJson(m.author),
    content: m.content ?? '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: (m.mentions ?? []).map(userJson),
    mention_roles: [],
    attachments: m.attachments ?? [],
    embeds: m.embeds ?? [],
    components: m.components ?? [],
    pinned: false,
    flags: m.flags ?? 0,
  };
  if (m.guildId !== undefined) msg.guild_id = m.guildId;
  if (m.applicationId !== undefined) msg.application_id = m.applicationId;
  if (m.webhookId !== undefined) msg.webhook_id = m.webhookId;
  if (m.reference !== undefined) {
    msg.message_reference = {
      type: 0,
      message_id: m.reference.messageId,
      channel_id: m.reference.channelId,
      ...(m.reference.guildId !== undefined ? { guild_id: m.reference.guildId } : {}),
    };
  }
  return msg;
}

export { snowflake };
