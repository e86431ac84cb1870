/**
 * The words on a result card (Discord's Components V2 card today; Slack's Block Kit card can use
 * the same): the headline, the spoken text quoted short, the duration, the AI disclosure, the
 * preview note, the one-step form's words, and the answer to Delete.
 */
import { formatSeconds } from './bytes.js';
import type { WordStyle } from './style.js';

/** The card's headline (the leading ✅ is how a final answer is told apart from progress). */
export const READY_HEADLINE = 'Your talking avatar is ready';

/** Said on every result: platforms' policies and people's trust ask for a plain disclosure. */
export const AI_GENERATED_LINE = 'AI-generated video: the face and the voice are not a real recording.';

export const PREVIEW_LINE = 'Preview mode: a still image with your voice (no lip sync).';

/** The spoken text, cut to `max` characters with "…" (a card shows a glimpse, the video says it all). */
export function spokenTextGlimpse(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

/** "Length 7.2 s", or null when the service did not say. */
export function durationLine(seconds: number | null): string | null {
  return seconds === null || !Number.isFinite(seconds) || seconds <= 0 ? null : `Length ${formatSeconds(seconds)}`;
}

/** The answer to Delete, once the messages are gone and the job discarded. */
export function deletedSentence(style: Pick<WordStyle, 'bold'>, messageKept: boolean): string {
  const kept = messageKept ? ' I could not remove the message itself; delete it by hand if you can.' : '';
  return `🗑️ ${style.bold('Deleted')}: the video, its link and its text are gone.${kept}`;
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
