/**
 * The Slack adapter: Bolt 4 over the bot's HTTP server (or Socket Mode when an app token is
 * set), turning mentions, the "Make it talk" shortcut and `/avatar` into core jobs answered
 * in the thread. The ChatReply is registered at creation, before the core starts resuming jobs.
 *
 * Two ways to hold tokens:
 * - one workspace: SLACK_BOT_TOKEN, checked with auth.test at start;
 * - many workspaces (SLACK_CLIENT_ID...): Bolt's OAuth flow at /slack/install and
 *   /slack/oauth_redirect, installations encrypted in the core's SecretStore, each event and
 *   each job answered with its own workspace's token. No fixed token, so no auth.test at start.
 *
 * `listen: false` (scale-out workers) registers only the ChatReply: answers go out through the
 * Web API, nothing is received (no receiver, no routes, no Socket Mode).
 */
import { App, HTTPReceiver, webApi, type HTTPReceiverOptions } from '@slack/bolt';
import type { Logger } from 'pino';
import type { AvatarCore } from '../../core/ports.js';
import type { Router } from '../../http/router.js';
import { createBoltLogger } from './bolt-logger.js';
import { PLATFORM, type OAuthParts, type SlackConfig, type SlackContext } from './context.js';
import {
  mountSlackInstallRoutes,
  mountSlackRoute,
  SLACK_EVENTS_PATH,
  SLACK_INSTALL_PATH,
  SLACK_OAUTH_REDIRECT_PATH,
} from './http-route.js';
import { createHomePublisher } from './home/publish-home.js';
import { createInstallationStore } from './installation-store.js';
import { registerListeners } from './listeners/index.js';
import { createTokenHostCheck } from './media/token-hosts.js';
import { createSlackChatReply, errText } from './replies/chat-reply.js';
import { SLACK_BOT_SCOPES } from './scopes.js';
import type { StartJobInput } from './start-job.js';
import { createConsentWaits } from '../shared/consent-waits.js';
import { createWorkspaceTokens } from './workspace-tokens.js';

export interface SlackBot {
  start(): Promise<void>;
  stop(): Promise<void>;
  isReady(): boolean;
}

export interface SlackBotDeps {
  core: AvatarCore;
  logger: Logger;
  router: Router;
  /**
   * false: REST only (a scale-out worker): the ChatReply answers jobs through the Web API and
   * nothing else is set up. Default true.
   */
  listen?: boolean;
}

/** Creates the Slack bot and registers its ChatReply with the core (call before core.start()). */
export function createSlackBot(config: SlackConfig, deps: SlackBotDeps): SlackBot {
  const logger = deps.logger.child({ platform: PLATFORM });
  // Library logs never show the OAuth secrets (tokens are masked by shape).
  const boltLogger = createBoltLogger(logger, [config.oauth?.clientSecret, config.oauth?.stateSecret, config.oauth?.installKey]);
  const listen = deps.listen ?? true;
  const clientOptions: webApi.WebClientOptions = {
    // WebClient appends the trailing slash itself.
    ...(config.apiUrl === undefined ? {} : { slackApiUrl: config.apiUrl }),
    // Few quick retries: a progress edit that waits half an hour is worse than a skipped one.
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
  };

  let oauth: OAuthParts | undefined;
  if (config.oauth !== undefined) {
    const installations = createInstallationStore(deps.core.secrets, { installKey: config.oauth.installKey });
    oauth = { installations, tokens: createWorkspaceTokens(installations) };
    if (config.botToken !== undefined) {
      logger.warn('SLACK_BOT_TOKEN is ignored: with SLACK_CLIENT_ID every workspace uses the token of its own installation');
    }
  }

  if (!listen) return createRestOnlyBot(config, deps, logger, { ...clientOptions, logger: boltLogger }, oauth);

  const socketMode = config.appToken !== undefined;
  if (socketMode && config.oauth !== undefined) {
    // The install flow needs the HTTP receiver; Socket Mode has none on the bot's server.
    throw new Error('Slack: SLACK_APP_TOKEN (Socket Mode) cannot be combined with SLACK_CLIENT_ID (OAuth installs). Unset one of them.');
  }

  let receiver: HTTPReceiver | undefined;
  if (!socketMode) {
    const options: HTTPReceiverOptions = {
      signingSecret: config.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      // Ack first, work after: downloads never delay the 3 s acknowledgement.
      processBeforeResponse: false,
      logger: boltLogger,
    };
    if (config.oauth !== undefined && oauth !== undefined) {
      Object.assign(options, {
        clientId: config.oauth.clientId,
        clientSecret: config.oauth.clientSecret,
        stateSecret: config.oauth.stateSecret,
        installationStore: oauth.installations,
        scopes: [...SLACK_BOT_SCOPES],
        installerOptions: {
          installPath: SLACK_INSTALL_PATH,
          redirectUriPath: SLACK_OAUTH_REDIRECT_PATH,
          // /slack/install sends the browser straight to Slack's authorize page (no landing page).
          directInstall: true,
          // The code exchange (oauth.v2.access) and its auth.test use the same API base (and
          // Bolt's logger, which the receiver hands the installer).
          clientOptions,
        },
      } satisfies Partial<HTTPReceiverOptions>);
    }
    receiver = new HTTPReceiver(options);
  }

  const app = new App({
    // OAuth: no token; Bolt's authorize reads each event's installation from the store.
    ...(oauth === undefined ? { token: config.botToken } : {}),
    ...(receiver === undefined ? { socketMode: true, appToken: config.appToken } : { receiver }),
    // auth.test runs in start(), not in the constructor, so creation never touches the network.
    deferInitialization: true,
    // Bolt's conversation store (a per-event lookup middleware) is not used by any listener.
    convoStore: false,
    logger: boltLogger,
    clientOptions,
  });

  const home = createHomePublisher({ core: deps.core, logger });
  const reply = createSlackChatReply(
    { uploadMaxBytes: config.uploadMaxBytes },
    {
      client: app.client,
      logger,
      ...(oauth === undefined ? {} : { tokens: oauth.tokens }),
      // A finished job changes the person's history: their Home tab shows it.
      onFinal: (job, auth) => home.publish(app.client, job.requesterId, auth),
    },
  );
  deps.core.registerReply(PLATFORM, reply);

  const ctx: SlackContext = {
    config,
    core: deps.core,
    client: app.client,
    logger,
    mayReceiveToken: createTokenHostCheck(config.apiUrl),
    home,
    consentWaits: createConsentWaits<StartJobInput>(),
    ...(oauth === undefined ? {} : { multiWorkspace: true, botToken: '', oauth }),
  };
  registerListeners(app, ctx);
  app.error(async (err) => {
    logger.error({ code: err.code, err: err.message }, 'slack listener error');
  });

  let ready = false;
  if (receiver !== undefined) {
    mountSlackRoute(deps.router, receiver, () => ready, logger);
    if (oauth !== undefined) mountSlackInstallRoutes(deps.router, receiver, () => ready, logger);
  }

  return {
    async start() {
      // One workspace: auth.test, so a bad token stops start-up here. OAuth: no network at all.
      await app.init();
      if (socketMode) await app.start();
      ready = true;
      logger.info({ mode: socketMode ? 'socket' : 'http', workspaces: oauth === undefined ? 'one' : 'oauth' }, 'slack bot ready');
    },
    async stop() {
      ready = false;
      reply.dispose();
      if (socketMode) await app.stop().catch(() => undefined);
    },
    isReady: () => ready,
  };
}

/** `listen: false`: the ChatReply over a bare WebClient, nothing received. */
function createRestOnlyBot(
  config: SlackConfig,
  deps: SlackBotDeps,
  logger: Logger,
  clientOptions: webApi.WebClientOptions,
  oauth: OAuthParts | undefined,
): SlackBot {
  const client = new webApi.WebClient(oauth === undefined ? config.botToken : undefined, clientOptions);
  const home = createHomePublisher({ core: deps.core, logger });
  const reply = createSlackChatReply(
    { uploadMaxBytes: config.uploadMaxBytes },
    {
      client,
      logger,
      ...(oauth === undefined ? {} : { tokens: oauth.tokens }),
      onFinal: (job, auth) => home.publish(client, job.requesterId, auth),
    },
  );
  deps.core.registerReply(PLATFORM, reply);
  let ready = false;
  return {
    async start() {
      if (oauth === undefined) {
        // Same check as the listening bot: a bad token stops start-up here.
        try {
          await client.auth.test();
        } catch (err) {
          throw new Error(`Slack auth.test failed: ${errText(err)}`);
        }
      }
      ready = true;
      logger.info({ mode: 'rest', workspaces: oauth === undefined ? 'one' : 'oauth' }, 'slack answers jobs (REST only)');
    },
    async stop() {
      ready = false;
      reply.dispose();
    },
    isReady: () => ready,
  };
}
