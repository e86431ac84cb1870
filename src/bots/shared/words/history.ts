/**
 * A person's earlier videos, for every adapter: one job -> one line (its state, when it was
 * asked for, the link while the service keeps it, the spoken text cut short), the heading over
 * the list, and what is said when a video is posted again. Each adapter gives its markup.
 */
import type { JobView } from '../../../core/ports.js';
import { shortSpokenText } from './result-card.js';
import type { WordStyle } from './style.js';

/** How many videos a history shows. */
export const HISTORY_LIMIT = 10;
/** How much of the spoken text a line shows. */
const SPOKEN_MAX = 60;

export interface HistoryStyle {
  words: WordStyle;
  /** A moment as the platform shows it (Discord `<t:…:R>`, Slack's date token, plain text). */
  when(ms: number): string;
  /** A link with a label in the platform's markup. */
  link(url: string, label: string): string;
  /** Text someone typed, made inert for the markup (no formatting, no mentions). */
  text(value: string): string;
}

/** The job's state in a word or two. */
function historyState(job: Pick<JobView, 'state' | 'taskStatus' | 'renderStartedAt'>): string {
  switch (job.state) {
    case 'queued':
      return 'in line';
    case 'submitted':
      return job.taskStatus === 'IN_QUEUE' && job.renderStartedAt === null ? 'waiting at the avatar service' : 'rendering';
    case 'completed':
      return 'ready';
    case 'failed':
      return 'failed';
    case 'timed_out':
      return 'timed out';
    default:
      return 'canceled';
  }
}

/** The spoken text cut to a short quote, or null for a voice note. */
function shortSpoken(text: string | null): string | null {
  const one = text === null ? '' : shortSpokenText(text, SPOKEN_MAX);
  return one === '' ? null : one;
}

/** One line: `n. state · when · link · "spoken text"`; `withText: false` leaves the text out (to save room). */
export function historyLine(
  job: Pick<JobView, 'state' | 'taskStatus' | 'renderStartedAt' | 'createdAt' | 'fileUrl' | 'spokenText'>,
  style: HistoryStyle,
  opts: { n?: number; withLink?: boolean; withText?: boolean } = {},
): string {
  const parts = [historyState(job), style.when(job.createdAt)];
  if (job.state === 'completed') {
    if (job.fileUrl === null) parts.push('link no longer kept');
    else if (opts.withLink !== false) parts.push(style.link(job.fileUrl, 'video'));
    else parts.push('link: post it to see it');
  }
  const spoken = opts.withText === false ? null : shortSpoken(job.spokenText);
  if (spoken !== null) parts.push(`“${style.text(spoken)}”`);
  const line = parts.join(' · ');
  return opts.n === undefined ? line : `${style.words.bold(`${opts.n}.`)} ${line}`;
}

/** The heading over a list of `shown` videos. */
export function historyHeading(shown: number): string {
  return shown === 1 ? 'Your last video:' : `Your last ${shown} videos, newest first:`;
}

export function noHistorySentence(): string {
  return 'You have no videos yet.';
}

/** Under the list, when some videos can be posted again. */
export function repostHint(): string {
  return 'A Post button shares that video in this channel, for everyone to see.';
}

/** The label of the button that posts video `n` again. */
export function repostLabel(n: number): string {
  return `Post ${n}`;
}

/** The public post of an earlier video: who made it and its link. */
export function repostSentence(who: string, url: string): string {
  return `${who} shares a talking avatar: ${url}`;
}

/** Why a video cannot be posted again. */
export function notRepostableSentence(): string {
  return 'That video has no link any more (or is not finished), so it cannot be posted again.';
}
