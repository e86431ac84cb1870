/**
 * The result card (Block Kit) that replaces a job's progress message when its video is ready:
 * the link (the MP4 itself is uploaded into the thread beside it), the text it speaks when it
 * was typed, a context line (length, the AI-generated disclosure, the preview note), and Delete.
 */
import type { JobView, ResultUpdate } from '../../../core/ports.js';
import { aiGeneratedLine, durationWords, shortSpokenText } from '../../shared/words/result-card.js';
import { actionsBlock, deleteButton, escapeMrkdwn, FINAL_BLOCK, type SlackMessage } from '../messages.js';

/** Slack allows 3,000 characters in a section; the core allows longer texts. */
const SPOKEN_MAX = 600;

export function resultMessage(job: JobView, result: ResultUpdate, uploaded: boolean): SlackMessage {
  const file = uploaded ? ' The video is attached below.' : '';
  const text = `:white_check_mark: Your talking avatar is ready: <${result.fileUrl}|open the video>.${file}`;
  const blocks: unknown[] = [{ type: 'section', block_id: FINAL_BLOCK, text: { type: 'mrkdwn', text } }];
  if (job.spokenText !== null && job.spokenText !== '') {
    const said = escapeMrkdwn(shortSpokenText(job.spokenText, SPOKEN_MAX));
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `:speech_balloon: “${said}”` } });
  }
  // A service that does not say the video's length: it is as long as its speech.
  const seconds = result.outputDuration ?? (job.audioSeconds > 0 ? job.audioSeconds : null);
  const context = [...(seconds === null ? [] : [durationWords(seconds)]), aiGeneratedLine(result.preview)].join(' · ');
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context }] });
  blocks.push(actionsBlock([deleteButton(job.id)]));
  // The notification text carries the disclosure too (it is what screen readers and previews show).
  return { text: `${text} (${context})`, blocks };
}
