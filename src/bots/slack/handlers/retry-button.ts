/**
 * The Retry button on a failed job's message: a new job from the failed one's kept media
 * (requester only), answered on the same message so the thread keeps one progress message.
 */
import type { App } from '@slack/bolt';
import { toAvatarError } from '../../../core/errors.js';
import { channelAllowed, CHANNEL_NOT_ALLOWED, forEvent, tellPrivately, type SlackContext } from '../context.js';
import { errorWords, RETRY_ACTION } from '../messages.js';
import { readButtonClick, type ButtonClick } from './job-buttons.js';

/** Handles one Retry click after the ack; never throws. */
export async function handleRetry(ctx: SlackContext, click: ButtonClick): Promise<void> {
  try {
    if (!channelAllowed(ctx, click.channel)) {
      await tellPrivately(ctx, click.channel, click.user, CHANNEL_NOT_ALLOWED);
      return;
    }
    // The new job inherits the failed job's reply state, so its progress (posted by the core at
    // once) replaces the failure on the same message: the thread keeps one progress message.
    await ctx.core.jobs.retry(click.jobId, click.user);
  } catch (err) {
    const e = toAvatarError(err);
    const text =
      e.code === 'NOT_ALLOWED'
        ? 'Only the person who started this video can retry it.'
        : `:warning: ${errorWords(e)}`;
    if (e.code === 'INTERNAL') ctx.logger.error({ err: e.message }, 'slack retry failed');
    await tellPrivately(ctx, click.channel, click.user, text);
  }
}

/** Registers the Retry button. */
export function registerRetryButton(app: App, ctx: SlackContext): void {
  app.action(RETRY_ACTION, async ({ ack, body, action, client, context }) => {
    await ack();
    const click = readButtonClick(body, action);
    if (click === null) return;
    await handleRetry(forEvent(ctx, { client, context }), click);
  });
}
