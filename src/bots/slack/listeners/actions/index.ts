/** Block actions: the Cancel and Retry buttons on a job's message, acknowledged at once. */
import type { App } from '@slack/bolt';
import { forEvent, type SlackContext } from '../../context.js';
import { CANCEL_ACTION, RETRY_ACTION } from '../../messages.js';
import { readButtonClick } from './button-click.js';
import { handleCancel } from './cancel.js';
import { handleRetry } from './retry.js';

export function register(app: App, ctx: SlackContext): void {
  app.action(CANCEL_ACTION, async ({ ack, body, action, client, context }) => {
    await ack();
    const click = readButtonClick(body, action);
    if (click !== null) await handleCancel(forEvent(ctx, { client, context }), click);
  });
  app.action(RETRY_ACTION, async ({ ack, body, action, client, context }) => {
    await ack();
    const click = readButtonClick(body, action);
    if (click !== null) await handleRetry(forEvent(ctx, { client, context }), click);
  });
}
