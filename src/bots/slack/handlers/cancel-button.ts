/**
 * The Cancel button on a progress message: only the requester may cancel (the core enforces
 * it); anyone else is told so privately. The core then answers the canceled job through the
 * ChatReply (the same progress message shows "Canceled"), so nothing is edited here.
 */
import type { App } from '@slack/bolt';
import { toAvatarError } from '../../../core/errors.js';
import { forEvent, tellPrivately, type SlackContext } from '../context.js';
import { CANCEL_ACTION, errorWords } from '../messages.js';
import { readButtonClick, type ButtonClick } from './job-buttons.js';

/** Handles one Cancel click after the ack; never throws. */
export async function handleCancel(ctx: SlackContext, click: ButtonClick): Promise<void> {
  try {
    await ctx.core.jobs.cancel(click.jobId, click.user);
  } catch (err) {
    const e = toAvatarError(err);
    const text =
      e.code === 'NOT_ALLOWED'
        ? 'Only the person who started this video can cancel it.'
        : `:warning: ${errorWords(e)}`;
    if (e.code === 'INTERNAL') ctx.logger.error({ err: e.message }, 'slack cancel failed');
    await tellPrivately(ctx, click.channel, click.user, text);
  }
}

/** Registers the Cancel button. */
export function registerCancelButton(app: App, ctx: SlackContext): void {
  app.action(CANCEL_ACTION, async ({ ack, body, action, client, context }) => {
    await ack();
    const click = readButtonClick(body, action);
    if (click === null) return;
    await handleCancel(forEvent(ctx, { client, context }), click);
  });
}
