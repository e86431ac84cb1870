/**
 * The Slack adapter: Bolt 4 over the bot's HTTP server (or Socket Mode when an app token is
 * set), turning mentions, the "Make it talk" shortcut and `/avatar` into core jobs answered
 * in the thread. The ChatReply is registered at creation, before the core starts resuming jobs.
 */
import { App, HTTPReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import type { AvatarCore } from '../../core/ports.js';
import type { Router } from '../../http/router.js';
import { createBoltLogger } from './bolt-logger.js';
import { createSlackChatReply } from './chat-reply.js';
import { PLATFORM, type SlackConfig, type SlackContext } from './context.js';
import { createTokenHostCheck } from './download.js';
import { registerAppMention } from './handlers/app-mention.js';
import { registerAvatarCommand } from './handlers/avatar-command.js';
import { registerCancelButton } from './handlers/cancel-button.js';
import { registerMakeItTalk } from './handlers/make-it-talk.js';
import { registerRetryButton } from './handlers/retry-button.js';
import { mountSlackRoute } from './http-route.js';

export { formatReplyTo, parseReplyTo, type SlackReplyTo } from './reply-to.js';
export { SLACK_EVENTS_PATH } from './http-route.js';

export interface SlackBot {
  start(): Promise<void>;
  stop(): Promise<void>;
  isReady(): boolean;
}

export interface SlackBotDeps {
  core: AvatarCore;
  logger: Logger;
  router: Router;
}

/** Creates the Slack bot and registers its ChatReply with the core (call before core.start()). */
export function createSlackBot(config: SlackConfig, deps: SlackBotDeps): SlackBot {
  const logger = deps.logger.child({ platform: PLATFORM });
  const boltLogger = createBoltLogger(logger);
  const socketMode = config.appToken !== undefined;
  const receiver = socketMode
    ? undefined
    : new HTTPReceiver({
        signingSecret: config.signingSecret,
        endpoints: '/slack/events',
        // Ack first, work after: downloads never delay the 3 s acknowledgement.
        processBeforeResponse: false,
        logger: boltLogger,
      });
  const app = new App({
    token: config.botToken,
    ...(receiver === undefined ? { socketMode: true, appToken: config.appToken } : { receiver }),
    // auth.test runs in start(), not in the constructor, so creation never touches the network.
    deferInitialization: true,
    logger: boltLogger,
    clientOptions: {
      // WebClient appends the trailing slash itself.
      ...(config.apiUrl === undefined ? {} : { slackApiUrl: config.apiUrl }),
      // Few quick retries: a progress edit that waits half an hour is worse than a skipped one.
      retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    },
  });

  const reply = createSlackChatReply({ uploadMaxBytes: config.uploadMaxBytes }, { client: app.client, logger });
  deps.core.registerReply(PLATFORM, reply);

  const ctx: SlackContext = {
    config,
    core: deps.core,
    client: app.client,
    logger,
    mayReceiveToken: createTokenHostCheck(config.apiUrl),
  };
  registerAppMention(app, ctx);
  registerMakeItTalk(app, ctx);
  registerAvatarCommand(app, ctx);
  registerCancelButton(app, ctx);
  registerRetryButton(app, ctx);
  app.error(async (err) => {
    logger.error({ code: err.code, err: err.message }, 'slack listener error');
  });

  let ready = false;
  if (receiver !== undefined) mountSlackRoute(deps.router, receiver, () => ready, logger);

  return {
    async start() {
      await app.init(); // auth.test: a bad token stops start-up here
      if (socketMode) await app.start();
      ready = true;
      logger.info({ mode: socketMode ? 'socket' : 'http' }, 'slack bot ready');
    },
    async stop() {
      ready = false;
      reply.dispose();
      if (socketMode) await app.stop().catch(() => undefined);
    },
    isReady: () => ready,
  };
}
