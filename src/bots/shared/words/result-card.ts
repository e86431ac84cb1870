/**
 * The words of a result card, for every adapter: the disclosure line that goes with each video
 * (people must be able to tell a generated face from a real one), its length, and what Delete
 * says. Platform-free: an adapter adds its own markup and buttons.
 */
import { formatSeconds } from './bytes.js';

/** Said beside every video: it is synthetic, and in preview mode it has no lip sync. */
export function aiGeneratedLine(preview: boolean): string {
  return preview ? 'AI-generated · preview mode: still image, no lip sync' : 'AI-generated';
}

/** A video's length, e.g. "12 s", "1 min 5 s". */
export function durationWords(seconds: number): string {
  return formatSeconds(seconds);
}

/** The spoken text quoted on a card or in a list: one line, cut to `max` characters. */
export function shortSpokenText(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Asked before Delete goes ahead (where the platform can ask). */
export const DELETE_CONFIRM = {
  title: 'Delete this video?',
  text: 'The video, its link and the text it speaks are deleted for everyone here. This cannot be undone.',
  confirm: 'Delete',
  deny: 'Keep it',
};

/**
 * What Delete did. `fileLeft`: a copy was uploaded earlier but could not be found to delete
 * (an answer from before uploads were recorded), so the person is told to remove it by hand.
 */
export function deletedSentence(o: { fileLeft: boolean }): string {
  const base = 'Deleted: the video, its link and the text it spoke are gone. It no longer shows in your history.';
  return o.fileLeft ? `${base} The copy uploaded earlier could not be found: delete it from the thread yourself.` : base;
}

/** Delete could not remove the bot's own messages; nothing was deleted yet, so it can be pressed again. */
export function deleteFailedSentence(): string {
  return 'I could not delete that video right now. Try Delete again in a moment.';
}
