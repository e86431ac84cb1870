/**
 * Everything the Slack adapter says, in one place: short, actionable words chosen by error
 * code (the core never formats platform text), and the Block Kit of the progress message.
 */
import { quotaSentence } from '../shared/quota-words.js';
import type { ErrorCode } from '../../core/errors.js';
import type { ErrorUpdate, JobView, ProgressUpdate, QuotaView, ResultUpdate } from '../../core/ports.js';

export const CANCEL_ACTION = 'avatar_cancel';
export const RETRY_ACTION = 'avatar_retry';
export const SHORTCUT_CALLBACK = 'make_it_talk';

/** Friendly words for an error code; `message` is used only where it was written for people. */
export function errorWords(code: ErrorCode, message?: string, reason?: string): string {
  switch (code) {
    case 'INVALID_MEDIA':
      // MediaError messages are written for people and name the file and the problem.
      return message ?? 'One of the files is not usable. Send a clear face image and a voice clip.';
    case 'DOWNLOAD_FAILED':
      if (reason === 'EXTERNAL' || reason === 'FOREIGN_HOST') {
        return 'I could not fetch that file: it is not stored in Slack. Upload it to Slack directly and try again.';
      }
      return 'I could not fetch the file from Slack. Upload it again and retry.';
    case 'NO_FACE':
      return 'I need a face: attach an image, or save one first by mentioning me with an image and the word `face`.';
    case 'API_AUTH':
      return 'The avatar service refused our key. Ask an admin to check AVATAR_API_KEY.';
    case 'API_CREDITS':
      return 'The avatar service is out of credits. Ask an admin to top up.';
    case 'API_RATE_LIMIT':
      return 'The avatar service is busy right now. Retry in a minute.';
    case 'API_NOT_FOUND':
      return 'The avatar service lost this job. Retry to start it again.';
    case 'API_BAD_REQUEST':
      return 'The avatar service refused these files. Try another image or voice clip.';
    case 'API_UNAVAILABLE':
    case 'API_BAD_RESPONSE':
    case 'NO_TASK_ID':
      return 'The avatar service is not answering properly. Retry in a few minutes.';
    case 'SUBMIT_INTERRUPTED':
      return 'I restarted while sending this job and cannot tell if it was accepted. Retry to be sure.';
    case 'JOB_FAILED':
      return 'The avatar service could not make this video. Retry, or try another image or clip.';
    case 'JOB_TIMEOUT':
      return 'The video took too long. Retry, or use a shorter voice clip.';
    case 'JOB_CANCELED':
      return 'Canceled.';
    case 'QUEUE_FULL':
      return 'Too many videos are waiting. Try again in a few minutes.';
    case 'QUOTA_EXCEEDED':
      return 'The daily limit is used up. Try again tomorrow.';
    case 'NOT_ALLOWED':
      return 'You are not allowed to do that here.';
    case 'NOT_FOUND':
      return 'That video is not known any more.';
    case 'MEDIA_GONE':
      return 'The files of that video are no longer kept. Send them again to start a new one.';
    case 'INTERNAL':
      return 'Something went wrong on my side. Retry; if it keeps failing, tell an admin.';
    default:
      // Codes added to the core later still get a sensible answer.
      return 'Something went wrong. Retry; if it keeps failing, tell an admin.';
  }
}

function seconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** The progress line, e.g. "Rendering… 12 s so far, about 20 s left". */
export function progressText(update: ProgressUpdate, preview: boolean): string {
  const note = preview ? ' (preview mode: still image, no lip sync)' : '';
  if (update.state === 'queued') {
    const pos = update.queuePosition === undefined ? '' : ` (#${update.queuePosition} in line)`;
    return `:hourglass_flowing_sand: Queued${pos}, waiting ${seconds(update.elapsedMs)}${note}`;
  }
  const eta =
    update.etaMs === undefined ? '' : update.etaMs > 0 ? `, about ${seconds(update.etaMs)} left` : ', almost done';
  return `:clapper: Rendering… ${seconds(update.elapsedMs)} so far${eta}${note}`;
}

export function resultText(result: ResultUpdate, uploaded: boolean): string {
  const dur = result.outputDuration === null ? '' : ` (${Math.round(result.outputDuration)} s)`;
  const preview = result.preview ? ' Preview mode: still image, no lip sync.' : '';
  const file = uploaded ? ' The video is attached below.' : '';
  return `:white_check_mark: Your talking avatar is ready${dur}: <${result.fileUrl}|open the video>.${file}${preview}`;
}

/** True for the text of a final answer (the result or an error), as opposed to progress. */
export function isFinalText(text: string): boolean {
  return text.startsWith(':white_check_mark:') || text.startsWith(':warning:');
}

export function errorText(error: ErrorUpdate): string {
  return `:warning: ${errorWords(error.code, error.code === 'INVALID_MEDIA' ? error.message : undefined, error.reason)}`;
}

/** A Slack text-object-safe string (mrkdwn needs &, <, > escaped in user-given text). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface SlackMessage {
  text: string;
  blocks: unknown[];
}

type Button = { text: string; actionId: string; value: string; style?: 'primary' | 'danger' };

function message(text: string, buttons: Button[]): SlackMessage {
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  if (buttons.length > 0) {
    blocks.push({
      type: 'actions',
      elements: buttons.map((b) => ({
        type: 'button',
        text: { type: 'plain_text', text: b.text },
        action_id: b.actionId,
        value: b.value,
        ...(b.style === undefined ? {} : { style: b.style }),
      })),
    });
  }
  return { text, blocks };
}

/** "Working on it" before the job exists (no buttons yet: there is no job id). */
export function startingMessage(): SlackMessage {
  return message(':inbox_tray: Got it, fetching your files…', []);
}

export function progressMessage(job: JobView, update: ProgressUpdate): SlackMessage {
  return message(progressText(update, job.preview), [{ text: 'Cancel', actionId: CANCEL_ACTION, value: job.id, style: 'danger' }]);
}

export function resultMessage(result: ResultUpdate, uploaded: boolean): SlackMessage {
  return message(resultText(result, uploaded), []);
}

/** Failures get Retry, except cancellation (the person chose it) and refusals a retry cannot fix. */
export function errorMessage(job: JobView | null, error: ErrorUpdate): SlackMessage {
  const retryable = job !== null && error.code !== 'JOB_CANCELED' && error.code !== 'NOT_ALLOWED';
  return message(errorText(error), retryable ? [{ text: 'Retry', actionId: RETRY_ACTION, value: job.id, style: 'primary' }] : []);
}

export function plainMessage(text: string): SlackMessage {
  return message(text, []);
}

export const HELP_TEXT = [
  '*Talking avatar*: I turn a face and a voice clip into a video of that face speaking.',
  '• Mention me with an image and a voice clip (or record a clip in Slack) to start.',
  '• In a thread with a voice clip, mention me (with an image, or with your saved face).',
  '• On a message with a voice clip: *More actions* (⋯) → *Make it talk* uses your saved face.',
  '• Save your face: mention me with only an image and the word `face`.',
  '• `/avatar face` shows your saved face, `/avatar face clear` forgets it, `/avatar jobs` lists your recent videos.',
].join('\n');

/**
 * The person's remaining daily videos, or null when no quota is on (then /avatar says nothing
 * about quotas at all).
 */
export function quotaText(q: QuotaView, now = Date.now()): string | null {
  return quotaSentence(q, { bold: (t) => `*${t}*`, group: 'workspace' }, now);
}
