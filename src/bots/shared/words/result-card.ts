/**
 * The words of a result card, for every adapter: the headline, the disclosure line that goes
 * with each video (people must be able to tell a generated face from a real one), its length,
 * the spoken text quoted short, what Delete says, and Discord's one-step form. Platform-free:
 * an adapter adds its own markup and buttons.
 */
import { formatSeconds } from './bytes.js';
import { PLAIN_STYLE, type WordStyle } from './style.js';

/** The card's headline (the leading ✅ an adapter adds is how a final answer is told from progress). */
export const READY_HEADLINE = 'Your talking avatar is ready';

/**
 * What a preview video is, wherever one shows: the built-in renderer's rough animation (or the
 * still face when it found none), made offline, not the avatar service's work.
 */
export const PREVIEW_VIDEO_NOTE = 'preview mode: a rough face made offline by the built-in preview server, not the avatar service';

/** Said beside every video: it is synthetic, and a preview says what made it. */
export function aiGeneratedLine(preview: boolean): string {
  return preview ? `AI-generated · ${PREVIEW_VIDEO_NOTE}` : 'AI-generated';
}

/** A video's length, e.g. "12 s", "1 min 5 s". */
export function durationWords(seconds: number): string {
  return formatSeconds(seconds);
}

/** "Length 7.2 s", or null when the service did not say. */
export function durationLine(seconds: number | null): string | null {
  return seconds === null || !Number.isFinite(seconds) || seconds <= 0 ? null : `Length ${durationWords(seconds)}`;
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
export function deletedSentence(o: { fileLeft?: boolean; messageKept?: boolean }, style: Pick<WordStyle, 'bold'> = PLAIN_STYLE): string {
  const base = `${style.bold('Deleted')}: the video, its link and the text it spoke are gone. It no longer shows in your history.`;
  if (o.messageKept === true) return `${base} I could not remove the message itself; delete it by hand if you can.`;
  if (o.fileLeft === true) return `${base} The copy uploaded earlier could not be found: delete it from the thread yourself.`;
  return base;
}

/** Delete could not remove the bot's own messages; nothing was deleted yet, so it can be pressed again. */
export function deleteFailedSentence(): string {
  return 'I could not delete that video right now. Try Delete again in a moment.';
}
/** The one-step form: its title, field labels (45 characters at most) and descriptions (100). */
export const FORM_WORDS = {
  title: 'Make a talking avatar',
  faceLabel: 'Face photo',
  faceRequired: 'A clear photo of one face.',
  faceOptional: 'Optional: leave it empty to use your saved face.',
  voiceNoteLabel: 'Voice note',
  voiceNoteDescription: 'An audio file to speak; or type text below instead.',
  textLabel: 'Or: what to say',
  textDescription: 'Typed words, spoken in the voice below; leave empty when you upload a voice note.',
  voiceLabel: 'Voice for typed text',
  voiceDescription: 'Leave empty for your saved voice (or the default).',
  voiceTyped: 'A voice id or name; leave empty for your saved voice.',
  sameFaceTitle: 'Same face, new voice note',
  sameFaceButton: 'Same face, new voice note',
  deleteButton: 'Delete',
} as const;

/** Why a submitted form does not make one request (exactly one of a voice note and text). */
export function formProblem(hasVoiceNote: boolean, hasText: boolean, hasVoice: boolean): string | null {
  if (hasVoiceNote && hasText) return 'Give either a voice note or typed text, not both. Open the form again and leave one empty.';
  if (!hasVoiceNote && !hasText) return 'Give a voice note or type something to say. Open the form again and fill in one of them.';
  if (hasVoiceNote && hasVoice) return 'A voice goes with typed text; a voice note already has its own voice. Leave the voice empty.';
  return null;
}
