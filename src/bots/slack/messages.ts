/**
 * Everything the Slack adapter says: the shared error and quota sentences in Slack's markup and
 * nouns, what only Slack says (progress, help), and the Block Kit of the progress message.
 */
import { PREVIEW_VIDEO_NOTE } from '../shared/words/result-card.js';
import type { Forgotten, JobView, ProgressUpdate, QuotaView } from '../../core/ports.js';
import { errorSentence, offersRetry, type ErrorLike } from '../shared/words/errors.js';
import { forgetSentence } from '../shared/words/forget.js';
import { progressSentence } from '../shared/words/progress.js';
import { DELETE_CONFIRM } from '../shared/words/result-card.js';
import { quotaSentence } from '../shared/words/quota.js';
import { makingVoiceSentence } from '../shared/words/voices.js';
import type { WordStyle } from '../shared/words/style.js';

export const CANCEL_ACTION = 'avatar_cancel';
export const RETRY_ACTION = 'avatar_retry';
export const DELETE_ACTION = 'avatar_delete';
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

/** Slack's emoji for each step; the sentence is the shared one. */
const PROGRESS_EMOJI: Record<ProgressUpdate['state'], string> = {
  queued: ':hourglass_flowing_sand:',
  waiting: ':hourglass:',
  rendering: ':clapper:',
};

/** The progress line: Slack's emoji, the shared sentence, and the preview note when it applies. */
function progressText(update: ProgressUpdate, preview: boolean): string {
  const note = preview ? ` (${PREVIEW_VIDEO_NOTE})` : '';
  return `${PROGRESS_EMOJI[update.state]} ${progressSentence(update)}${note}`;
}

/** The block id that marks a message as progress or as the final answer (invisible to people). */
const PROGRESS_BLOCK = 'avatar_progress';
export const FINAL_BLOCK = 'avatar_final';

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

export interface Button {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
  /** Slack's own "are you sure?" dialog before the click is sent. */
  confirm?: { title: string; text: string; confirm: string; deny: string };
}

/** An actions block of buttons. */
export function actionsBlock(buttons: Button[]): unknown {
  const plain = (text: string) => ({ type: 'plain_text', text });
  return {
    type: 'actions',
    elements: buttons.map((b) => ({
      type: 'button',
      text: plain(b.text),
      action_id: b.actionId,
      value: b.value,
      ...(b.style === undefined ? {} : { style: b.style }),
      ...(b.confirm === undefined
        ? {}
        : {
            confirm: {
              title: plain(b.confirm.title),
              text: plain(b.confirm.text),
              confirm: plain(b.confirm.confirm),
              deny: plain(b.confirm.deny),
              style: 'danger',
            },
          }),
    })),
  };
}

/** Delete on a job's final answer (the requester's only: checked on click). */
export function deleteButton(jobId: string): Button {
  return { text: 'Delete', actionId: DELETE_ACTION, value: jobId, confirm: DELETE_CONFIRM };
}

function message(text: string, buttons: Button[], blockId?: string): SlackMessage {
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text }, ...(blockId === undefined ? {} : { block_id: blockId }) }];
  if (buttons.length > 0) blocks.push(actionsBlock(buttons));
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

/** A failure, with Retry where the catalogue offers it, and Delete (when there is a job). */
export function errorMessage(job: JobView | null, error: ErrorLike): SlackMessage {
  const buttons: Button[] = [];
  if (job !== null && offersRetry(error.code)) buttons.push({ text: 'Retry', actionId: RETRY_ACTION, value: job.id, style: 'primary' });
  if (job !== null) buttons.push(deleteButton(job.id));
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
  '• `/avatar face` shows your saved face, `/avatar face clear` forgets it, `/avatar history` lists your last videos (also on my *Home* tab).',
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
