/**
 * A person's last videos as Block Kit, shared by the App Home tab and `/avatar history`: one
 * section per job, newest first, with its state, when it was asked for (in the reader's own
 * time zone, by Slack's date formatting), the link while the core still has it, and the text it
 * speaks (short) when it was typed.
 */
import type { JobView } from '../../../core/ports.js';
import { HISTORY_LIMIT, historyLine as sharedLine, noHistorySentence, type HistoryStyle } from '../../shared/words/history.js';
import { PLATFORM, type SlackContext } from '../context.js';
import { escapeMrkdwn, SLACK_STYLE } from '../messages.js';

const NO_VIDEOS_TEXT = noHistorySentence();
const HISTORY_TITLE = 'Your last videos';

/** `<!date^…>`: Slack shows it in the reader's time zone; the fallback (UTC) is for old clients. */
function slackDate(ms: number): string {
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

/** The shared history line in Slack's markup. */
const SLACK_HISTORY: HistoryStyle = {
  words: SLACK_STYLE,
  when: slackDate,
  link: (url, label) => `<${url}|${label}>`,
  text: escapeMrkdwn,
};

/** One job's line (mrkdwn), its state first in bold. */
function historyLine(job: JobView): string {
  const [state = '', ...rest] = sharedLine(job, SLACK_HISTORY).split(' · ');
  return [`*${state.charAt(0).toUpperCase()}${state.slice(1)}*`, ...rest].join(' · ');
}

/** The list's blocks (a title, then one section per job, or a line saying there is none). */
export function historyBlocks(jobs: JobView[]): unknown[] {
  const section = (text: string): unknown => ({ type: 'section', text: { type: 'mrkdwn', text } });
  const title = section(`*${HISTORY_TITLE}*`);
  if (jobs.length === 0) return [title, section(NO_VIDEOS_TEXT)];
  return [title, ...jobs.map((j) => section(historyLine(j)))];
}

/** The same list as plain lines, for notifications and clients that show no blocks. */
export function historyText(jobs: JobView[]): string {
  if (jobs.length === 0) return NO_VIDEOS_TEXT;
  return [`${HISTORY_TITLE}:`, ...jobs.map((j) => `• ${historyLine(j)}`)].join('\n');
}

/** The person's last videos, newest first (deleted ones are left out by the core). */
export function lastJobs(ctx: Pick<SlackContext, 'core'>, user: string): Promise<JobView[]> {
  return ctx.core.jobs.listForRequester(PLATFORM, user, HISTORY_LIMIT);
}
