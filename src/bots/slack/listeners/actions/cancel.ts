/**
 * The Cancel button on a progress message: only the requester may cancel; anyone else is told
 * so privately. The core then answers the canceled job through the ChatReply (the same
 * progress message shows "Canceled"), so nothing is edited here.
 */
import { runJobAction } from '../../../shared/job-action.js';
import { PLATFORM, tellPrivately, type SlackContext } from '../../context.js';
import { errorWords } from '../../messages.js';
import type { ButtonClick } from './button-click.js';

/** Handles one Cancel click after the ack; never throws. */
export async function handleCancel(ctx: SlackContext, click: ButtonClick): Promise<void> {
  const outcome = await runJobAction(
    { core: ctx.core, logger: ctx.logger, platform: PLATFORM },
    { action: 'cancel', jobId: click.jobId, requesterId: click.user },
  );
  if ('job' in outcome) return;
  const e = outcome.refused;
  const text = e.code === 'NOT_ALLOWED' ? 'Only the person who started this video can cancel it.' : `:warning: ${errorWords(e)}`;
  await tellPrivately(ctx, click.channel, click.user, text);
}
