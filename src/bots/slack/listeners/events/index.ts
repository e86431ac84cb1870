/**
 * Event listeners: `app_mention` starts jobs; `app_home_opened` publishes the Home tab; in OAuth mode `app_uninstalled` and
 * `tokens_revoked` (naming bot tokens) delete the workspace's installation. Bolt has already
 * acknowledged each event when these run.
 */
import type { App } from '@slack/bolt';
import { forEvent, type SlackContext } from '../../context.js';
import { handleHomeOpened } from './app-home.js';
import { handleMention, readMention } from './app-mention.js';
import { forgetInstallation, revokesBotTokens } from './uninstall.js';

export function register(app: App, ctx: SlackContext): void {
  app.event('app_mention', async ({ body, event, context, client }) => {
    const m = readMention(body, event);
    if (m === null) {
      ctx.logger.warn('slack app_mention without channel/user/ts ignored');
      return;
    }
    await handleMention(forEvent(ctx, { client, context }), m, context.botUserId);
  });

  app.event('app_home_opened', async ({ event, context, client }) => {
    await handleHomeOpened(forEvent(ctx, { client, context }), event);
  });

  const oauth = ctx.oauth;
  if (oauth === undefined) return;
  // Bolt delivers both without authorizing, since the token is gone.
  app.event('app_uninstalled', async ({ context }) => {
    await forgetInstallation(ctx, oauth, context, 'app_uninstalled');
  });
  app.event('tokens_revoked', async ({ event, context }) => {
    if (!revokesBotTokens(event)) return;
    await forgetInstallation(ctx, oauth, context, 'tokens_revoked');
  });
}
