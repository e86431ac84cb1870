/**
 * The Retry button on a failed job's message: a new job from the failed one's kept media
 * (requester only), answered on the same message so the thread keeps one progress message.
 */
import { runJobAction } from '../../../shared/job-action.js';
import { channelAllowed, CHANNEL_NOT_ALLOWED, PLATFORM, tellPrivately, type SlackContext } from '../../context.js';
import { errorWords } from '../../messages.js';
import type { ButtonClick } from './button-click.js';

/** Handles one Retry click after the ack; never throws. */
export async function handleRetry(ctx: SlackContext, click: ButtonClick): Promise<void> {
  if (!channelAllowed(ctx, click.channel)) {
    await tellPrivately(ctx, click.channel, click.user, CHANNEL_NOT_ALLOWED);
    return;
  }
  // The new job inherits the failed job's reply state, so its progress (posted by the core at
  // once) replaces the failure on the same message: the thread keeps one progress message.
  const outcome = await runJobAction(
    { core: ctx.core, logger: ctx.logger, platform: PLATFORM },
    { action: 'retry', jobId: click.jobId, requesterId: click.user },
  );
  if ('job' in outcome) return;
  const e = outcome.refused;
  const text = e.code === 'NOT_ALLOWED' ? 'Only the person who started this video can retry it.' : `:warning: ${errorWords(e)}`;
  await tellPrivately(ctx, click.channel, click.user, text);
}
