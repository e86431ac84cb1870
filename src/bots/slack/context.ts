/**
 * What every Slack handler shares: the core, the Web API client, the config, and the rules
 * for downloads and channels. In OAuth mode (many workspaces) each event gets its own copy
 * (`forEvent`) carrying that workspace's client and bot token.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config/index.js';
import type { AvatarCore } from '../../core/ports.js';
import type { ConsentWaits } from '../shared/consent-waits.js';
import type { HomePublisher } from './home/publish-home.js';
import type { SlackInstallationStore } from './installation-store.js';
import type { SlackMediaDeps } from './media/slack-files.js';
import type { TokenHostCheck } from './media/token-hosts.js';
import type { StartJobInput } from './start-job.js';
import type { WorkspaceTokens } from './workspace-tokens.js';

export type SlackConfig = NonNullable<AppConfig['slack']>;

export interface SlackContext {
  config: SlackConfig;
  core: AvatarCore;
  client: webApi.WebClient;
  logger: Logger;
  mayReceiveToken: TokenHostCheck;
  /** Publishes a person's App Home tab (when opened, after a job ends, after a Delete). */
  home: HomePublisher;
  /** Requests waiting for their person to confirm the face (FACE_CONSENT; shared by every workspace's copy). */
  consentWaits: ConsentWaits<StartJobInput>;
  /** True in OAuth mode: there is no fixed token, every event brings its workspace's. */
  multiWorkspace?: boolean;
  /** The bot token for downloads (the event's workspace in OAuth mode; else SLACK_BOT_TOKEN). */
  botToken?: string;
  /** Enterprise id when the event came through an org-wide install (goes into the job's replyTo). */
  orgInstall?: string;
  /** OAuth mode: the installations and the token cache (the uninstall listeners delete from them). */
  oauth?: OAuthParts;
}

/** What OAuth mode adds: where installations are kept, and the tokens read from them. */
export interface OAuthParts {
  installations: SlackInstallationStore;
  tokens: WorkspaceTokens;
}

/** What Bolt hands a listener that `forEvent` needs. */
export interface BoltListenerArgs {
  client: webApi.WebClient;
  context: { botToken?: string; isEnterpriseInstall?: boolean; enterpriseId?: string };
}

/**
 * The context for one event: unchanged with a fixed token; in OAuth mode the workspace's
 * client (Bolt built it with the installation's token), its token and its org-wide install.
 */
export function forEvent(ctx: SlackContext, args: BoltListenerArgs): SlackContext {
  if (ctx.multiWorkspace !== true) return ctx;
  const { context } = args;
  const org = context.isEnterpriseInstall === true && context.enterpriseId !== undefined ? context.enterpriseId : undefined;
  return { ...ctx, client: args.client, botToken: context.botToken ?? '', ...(org === undefined ? {} : { orgInstall: org }) };
}

/** The platform name jobs and faces are stored under. */
export const PLATFORM = 'slack';

/** True when SLACK_ALLOWED_CHANNELS is empty or lists the channel. */
export function channelAllowed(ctx: SlackContext, channel: string): boolean {
  return ctx.config.allowedChannels.length === 0 || ctx.config.allowedChannels.includes(channel);
}

export const CHANNEL_NOT_ALLOWED =
  'I am not enabled in this channel. Use me in an allowed channel, or ask an admin to add this one to SLACK_ALLOWED_CHANNELS.';

export function mediaDeps(ctx: SlackContext): SlackMediaDeps {
  return {
    client: ctx.client,
    token: ctx.botToken ?? ctx.config.botToken ?? '',
    mayReceiveToken: ctx.mayReceiveToken,
    core: ctx.core,
    logger: ctx.logger,
  };
}

/** Posts an ephemeral note; failures are logged, never thrown (a note must not break a handler). */
export async function tellPrivately(ctx: SlackContext, channel: string, user: string, text: string, threadTs?: string): Promise<void> {
  try {
    await ctx.client.chat.postEphemeral({ channel, user, text, ...(threadTs === undefined ? {} : { thread_ts: threadTs }) });
  } catch (err) {
    ctx.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'slack postEphemeral failed');
  }
}

/** Posts a visible note in a thread; failures are logged, never thrown. */
export async function tellInThread(ctx: SlackContext, channel: string, threadTs: string, text: string): Promise<string | undefined> {
  try {
    const res = await ctx.client.chat.postMessage({ channel, thread_ts: threadTs, text });
    return typeof res.ts === 'string' ? res.ts : undefined;
  } catch (err) {
    ctx.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'slack postMessage failed');
    return undefined;
  }
}
