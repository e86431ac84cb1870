/**
 * `/avatar history` (also `jobs`, `recent`): the person's last videos, privately, the same list
 * as their App Home tab, followed by their remaining daily quota when a quota is on.
 */
import { PLATFORM, type SlackContext } from '../../context.js';
import { historyBlocks, historyText, lastJobs } from '../../home/history-blocks.js';
import { errorWords, quotaText, type SlackMessage } from '../../messages.js';

export function isHistory(text: string | undefined): boolean {
  return /^\s*(history|jobs|recent)\s*$/i.test(text ?? '');
}

/** The ephemeral answer; a failure is answered in words, never thrown. */
export async function answerHistory(ctx: SlackContext, user: string, team: string, now = Date.now()): Promise<SlackMessage> {
  try {
    const jobs = await lastJobs(ctx, user);
    const quota = quotaText(await ctx.core.quota(PLATFORM, user, team), now);
    const blocks = historyBlocks(jobs);
    if (quota !== null) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: quota }] });
    const text = historyText(jobs);
    return { text: quota === null ? text : `${text}\n\n${quota}`, blocks };
  } catch (err) {
    ctx.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'slack /avatar history failed');
    return { text: `:warning: ${errorWords({ code: 'INTERNAL' })}`, blocks: [] };
  }
}
