/** Shortcuts: the "Make it talk" message shortcut, acknowledged before any download. */
import type { App } from '@slack/bolt';
import { forEvent, type SlackContext } from '../../context.js';
import { SHORTCUT_CALLBACK } from '../../messages.js';
import { handleMakeItTalk, readShortcut } from './make-it-talk.js';

export function register(app: App, ctx: SlackContext): void {
  app.shortcut({ callback_id: SHORTCUT_CALLBACK, type: 'message_action' }, async ({ ack, body, client, context }) => {
    await ack();
    const t = readShortcut(body);
    if (t === null) {
      ctx.logger.warn('slack shortcut payload without channel/user/message ignored');
      return;
    }
    await handleMakeItTalk(forEvent(ctx, { client, context }), t);
  });
}
