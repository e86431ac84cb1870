/**
 * The result card (Block Kit) that replaces a job's progress message when its video is ready:
 * the link (the MP4 and its caption files are uploaded into the thread beside it), the
 * transcript shortened (or the text it speaks when it was typed and there are no captions), the
 * hand-over notes (why a part is missing), a context line (length, the AI-generated disclosure,
 * the preview note), and Delete.
 */
import type { JobView, ResultUpdate } from '../../../core/ports.js';
import { handoverNoteLines, HANDOVER_WORDS, transcriptExcerpt } from '../../shared/words/handover.js';
import { aiGeneratedLine, durationWords, shortSpokenText } from '../../shared/words/result-card.js';
import { actionsBlock, deleteButton, escapeMrkdwn, FINAL_BLOCK, type SlackMessage } from '../messages.js';

/** Slack allows 3,000 characters in a section; the core allows longer texts. */
const SPOKEN_MAX = 600;
/** How much of the transcript the card shows. */
const EXCERPT = { lines: 3, chars: 400 } as const;

/** What went into the thread beside the card. */
export interface Attached {
  video: boolean;
  captions: boolean;
}

export function resultMessage(job: JobView, result: ResultUpdate, attached: Attached): SlackMessage {
  const files = attached.video
    ? attached.captions
      ? ' The video and its caption files are attached below.'
      : ' The video is attached below.'
    : attached.captions
      ? ' Its caption files are attached below.'
      : '';
  const text = `:white_check_mark: Your talking avatar is ready: <${result.fileUrl}|open the video>.${files}`;
  const blocks: unknown[] = [{ type: 'section', block_id: FINAL_BLOCK, text: { type: 'mrkdwn', text } }];
  const excerpt = result.captions === undefined ? '' : transcriptExcerpt(result.captions.transcript, EXCERPT);
  if (excerpt !== '') {
    const quoted = escapeMrkdwn(excerpt)
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${HANDOVER_WORDS.transcriptLabel}*\n${quoted}` } });
  } else if (job.spokenText !== null && job.spokenText !== '') {
    const said = escapeMrkdwn(shortSpokenText(job.spokenText, SPOKEN_MAX));
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `:speech_balloon: “${said}”` } });
  }
  const notes = handoverNoteLines(result.notes, result.preview);
  if (notes.length > 0) blocks.push({ type: 'context', elements: notes.map((n) => ({ type: 'mrkdwn', text: escapeMrkdwn(n) })) });
  // A service that does not say the video's length: it is as long as its speech.
  const seconds = result.outputDuration ?? (job.audioSeconds > 0 ? job.audioSeconds : null);
  const context = [...(seconds === null ? [] : [durationWords(seconds)]), aiGeneratedLine(result.preview)].join(' · ');
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context }] });
  blocks.push(actionsBlock([deleteButton(job.id)]));
  // The notification text carries the disclosure too (it is what screen readers and previews show).
  return { text: `${text} (${context})`, blocks };
}
