/**
 * Everything the Slack adapter says: the shared error and quota sentences in Slack's markup and
 * nouns, what only Slack says (progress, help), and the Block Kit of the progress message.
 */
import type { Forgotten, JobView, ProgressUpdate, QuotaView, ResultUpdate } from '../../core/ports.js';
import { errorSentence, offersRetry, type ErrorLike } from '../shared/words/errors.js';
import { forgetSentence } from '../shared/words/forget.js';
import { quotaSentence } from '../shared/words/quota.js';
import { makingVoiceSentence } from '../shared/words/voices.js';
import type { WordStyle } from '../shared/words/style.js';

export const CANCEL_ACTION = 'avatar_cancel';
export const RETRY_ACTION = 'avatar_retry';
export const SHORTCUT_CALLBACK = 'make_it_talk';

/** mrkdwn reads <, > and & as markup (even inside code): words from elsewhere are escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack's markup and nouns for the shared words. */
export const SLACK_STYLE: WordStyle = {
  bold: (t) => `*${t}*`,
  // The service's own words (a failed render's reason) go in code: escaped.
  code: (t) => `\`${escapeMrkdwn(t)}\``,
  platform: 'Slack',
  group: 'workspace',
  voice: 'voice clip',
  admin: 'bot admin',
  faceHowTo: 'Attach an image, or save one first by mentioning me with an image and the word `face`.',
  voiceHowTo: 'Pick one with `/avatar voice`.',
};

/** Friendly words for an error (the shared sentences, in Slack's markup). */
export function errorWords(error: ErrorLike): string {
  return errorSentence(error, SLACK_STYLE);
}

function seconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** The progress line, e.g. "Rendering… 12 s so far, about 20 s left". */
function progressText(update: ProgressUpdate, preview: boolean): string {
  const note = preview ? ' (preview mode: still image, no lip sync)' : '';
  if (update.state === 'queued') {
    const pos = update.queuePosition === undefined ? '' : ` (#${update.queuePosition} in line)`;
    return `:hourglass_flowing_sand: Queued${pos}, waiting ${seconds(update.elapsedMs)}${note}`;
  }
  const eta = update.etaMs === undefined ? '' : update.etaMs > 0 ? `, about ${seconds(update.etaMs)} left` : ', almost done';
  return `:clapper: Rendering… ${seconds(update.elapsedMs)} so far${eta}${note}`;
}

function resultText(result: ResultUpdate, uploaded: boolean): string {
  const dur = result.outputDuration === null ? '' : ` (${Math.round(result.outputDuration)} s)`;
  const preview = result.preview ? ' Preview mode: still image, no lip sync.' : '';
  const file = uploaded ? ' The video is attached below.' : '';
  return `:white_check_mark: Your talking avatar is ready${dur}: <${result.fileUrl}|open the video>.${file}${preview}`;
}

/** The block id that marks a message as progress or as the final answer (invisible to people). */
const PROGRESS_BLOCK = 'avatar_progress';
const FINAL_BLOCK = 'avatar_final';

/**
 * True when a message Slack shows is this job's final answer (the result or an error), told by
 * the block id the answer was sent with. A message without our block ids was written by an
 * earlier version: its leading emoji is all there is to go by.
 */
export function isFinalMessage(m: { text?: string | undefined; blocks?: unknown }): boolean {
  const ids = Array.isArray(m.blocks) ? m.blocks.map((b) => (b as { block_id?: unknown } | null)?.block_id) : [];
  if (ids.includes(FINAL_BLOCK)) return true;
  if (ids.includes(PROGRESS_BLOCK)) return false;
  const text = m.text ?? '';
  return text.startsWith(':white_check_mark:') || text.startsWith(':warning:');
}

function errorText(error: ErrorLike): string {
  return `:warning: ${errorWords(error)}`;
}

export interface SlackMessage {
  text: string;
  blocks: unknown[];
}

type Button = { text: string; actionId: string; value: string; style?: 'primary' | 'danger' };

function message(text: string, buttons: Button[], blockId?: string): SlackMessage {
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text }, ...(blockId === undefined ? {} : { block_id: blockId }) }];
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

/**
 * "Working on it" before the job exists (no buttons yet: there is no job id). Typed text is
 * spoken before the job exists, so its line says so; the core's progress replaces it.
 */
export function startingMessage(speech: 'clip' | 'text'): SlackMessage {
  return message(
    speech === 'text' ? `:speaking_head_in_silhouette: ${makingVoiceSentence()}` : ':inbox_tray: Got it, fetching your files…',
    [],
  );
}

export function progressMessage(job: JobView, update: ProgressUpdate): SlackMessage {
  const cancel: Button = { text: 'Cancel', actionId: CANCEL_ACTION, value: job.id, style: 'danger' };
  return message(progressText(update, job.preview), [cancel], PROGRESS_BLOCK);
}

export function resultMessage(result: ResultUpdate, uploaded: boolean): SlackMessage {
  return message(resultText(result, uploaded), [], FINAL_BLOCK);
}

/** A failure, with Retry where the catalogue offers it (and there is a job to retry). */
export function errorMessage(job: JobView | null, error: ErrorLike): SlackMessage {
  const retryable = job !== null && offersRetry(error.code);
  const buttons: Button[] = retryable ? [{ text: 'Retry', actionId: RETRY_ACTION, value: job.id, style: 'primary' }] : [];
  // Only an answer about a job is final; a refusal before any job exists is not.
  return message(errorText(error), buttons, job === null ? undefined : FINAL_BLOCK);
}

export const HELP_TEXT = [
  '*Talking avatar*: I turn a face and a voice clip, or text you type, into a video of that face speaking.',
  '• Mention me with an image and a voice clip (or record a clip in Slack) to start.',
  '• Or mention me with the words to say (and an image, or your saved face): `@avatar Welcome to the team!`',
  '• `/avatar say <text>` speaks the text with your saved face; `/avatar voice` picks the voice (with samples).',
  '• In a thread with a voice clip, mention me with no words (or `make it talk`): I use that clip.',
  '• On a message: *More actions* (⋯) → *Make it talk* speaks its voice clip, or its text, with your saved face.',
  '• Save your face: mention me with only an image and the word `face`.',
  '• `/avatar face` shows your saved face, `/avatar face clear` forgets it, `/avatar jobs` lists your recent videos.',
  '• `/avatar forget` deletes everything I keep of you: your saved face, your chosen voice, your videos and their files.',
].join('\n');

/** `/avatar forget`'s ack when canceling running videos takes longer than the ack may wait. */
export const FORGETTING_TEXT = 'Forgetting you: videos still being made are canceled first. I will confirm here in a moment.';

/** The answer to `/avatar forget`. */
export function forgetText(f: Forgotten): string {
  return `:wastebasket: ${forgetSentence(f, SLACK_STYLE)}`;
}

/**
 * The person's remaining daily videos, or null when no quota is on (then /avatar says nothing
 * about quotas at all).
 */
export function quotaText(q: QuotaView, now = Date.now()): string | null {
  return quotaSentence(q, SLACK_STYLE, now);
}
