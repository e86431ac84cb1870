/** What every handler receives. */
import type { Client, Interaction, REST } from 'discord.js';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config/index.js';
import type { AvatarCore } from '../../core/ports.js';
import type { AccessSubject } from './access.js';
import type { ConsentWaits } from '../shared/consent-waits.js';
import type { DownloadPolicy } from '../shared/download.js';
import type { QuietGate } from '../shared/quiet-gate.js';
import { reachOf } from './replies/reach.js';
import type { JobAsk } from './start-job.js';
import { DEFAULT_UPLOAD_LIMIT, type DiscordReplyState } from './replies/reply-state.js';

export type DiscordConfig = NonNullable<AppConfig['discord']>;

export interface BotContext {
  config: DiscordConfig;
  core: AvatarCore;
  logger: Logger;
  /** Where attachments may be downloaded from. */
  policy: DownloadPolicy;
  client: Client;
  /** REST with the bot token, for sends that carry files (see media/multipart.ts). */
  rest: REST;
  /** Requests waiting for their person to confirm the face (FACE_CONSENT; buttons/consent.ts). */
  consentWaits: ConsentWaits<JobAsk>;
  /** A job's work after its interaction was deferred waits here until a burst of interactions is deferred. */
  afterAcks: QuietGate;
}

/** The platform name jobs and faces are stored under. */
export const PLATFORM = 'discord';

/** Who is asking and where, for the allow-lists. */
export function accessOf(interaction: Interaction): AccessSubject {
  const channel = interaction.channel;
  const member = interaction.member;
  let roleIds: string[] | null = null;
  if (member !== null) roleIds = Array.isArray(member.roles) ? [...member.roles] : [...member.roles.cache.keys()];
  return {
    channelId: interaction.channelId,
    parentChannelId: channel?.isThread() ? channel.parentId : null,
    roleIds,
  };
}

/** The reply state of a fresh interaction: its token answers until the window closes. */
export function interactionState(interaction: Interaction): DiscordReplyState {
  const limit = interaction.attachmentSizeLimit;
  const { reach, privateOnly } = reachOf(interaction);
  return {
    v: 1,
    token: interaction.token,
    appId: interaction.applicationId,
    // The token was issued when Discord created the interaction; never trust a clock ahead of ours.
    issuedAt: Math.min(interaction.createdTimestamp, Date.now()),
    sizeLimit: typeof limit === 'number' && limit > 0 ? limit : DEFAULT_UPLOAD_LIMIT,
    // Where the app is installed to the person only, answers never use the bot token in the channel.
    ...(reach === 'interaction' ? { reach } : {}),
    ...(privateOnly ? { privateOnly } : {}),
  };
}
