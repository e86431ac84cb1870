/**
 * The history answer in Discord's markup: the numbered lines (fitted into one message) and a
 * "Post n" button for every video that still has its link.
 */
import { ButtonStyle, ComponentType, escapeMarkdown, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import type { JobView } from '../../../core/ports.js';
import { historyHeading, historyLine, repostHint, repostLabel, type HistoryStyle } from '../../shared/words/history.js';
import { repostId } from '../buttons/repost.js';
import { DISCORD_STYLE } from '../words.js';

/** Discord's limit on a message's content. */
const CONTENT_MAX = 2000;

export const DISCORD_HISTORY_STYLE: HistoryStyle = {
  words: DISCORD_STYLE,
  // Shown in each reader's own time zone and language, relative ("3 hours ago").
  when: (ms) => `<t:${Math.floor(ms / 1000)}:R>`,
  // Angle brackets keep Discord from unfurling ten videos under the list.
  link: (url, label) => `[${label}](<${url}>)`,
  text: (value) => escapeMarkdown(value).replace(/[<>@]/g, (c) => `\\${c}`),
};

/** A job that can be posted again: finished with its link still there. */
export function repostable(job: JobView): boolean {
  return job.state === 'completed' && job.fileUrl !== null && job.discardedAt === null;
}

/**
 * The list as one message. Signed links can be long, so when ten lines do not fit, the quotes
 * go first, then the links of the oldest lines (the Post button still posts those).
 */
export function historyContent(jobs: JobView[]): string {
  const withText = jobs.map(() => true);
  const withLink = jobs.map(() => true);
  const build = () => {
    const lines = jobs.map((job, i) => historyLine(job, DISCORD_HISTORY_STYLE, { n: i + 1, withText: withText[i], withLink: withLink[i] }));
    const hint = jobs.some(repostable) ? `\n${repostHint()}` : '';
    return `${historyHeading(jobs.length)}\n${lines.join('\n')}${hint}`;
  };
  let content = build();
  for (let i = jobs.length - 1; i >= 0 && content.length > CONTENT_MAX; i--) {
    withText[i] = false;
    content = build();
  }
  for (let i = jobs.length - 1; i >= 0 && content.length > CONTENT_MAX; i--) {
    withLink[i] = false;
    content = build();
  }
  return content;
}

/** One "Post n" button per repostable video, five to a row (ten videos: two rows at most). */
export function repostRows(jobs: JobView[]): APIActionRowComponent<APIButtonComponent>[] {
  const buttons: APIButtonComponent[] = [];
  jobs.forEach((job, i) => {
    if (!repostable(job)) return;
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: repostLabel(i + 1), custom_id: repostId(job.id) });
  });
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let i = 0; i < buttons.length; i += 5) rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + 5) });
  return rows;
}
