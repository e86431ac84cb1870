/**
 * Words about voices and typed text, for every adapter: how a voice is named in a picker, what
 * progress says while the service speaks the text, and what a saved choice sounds like.
 */
import type { Voice } from '../../../core/ports.js';
import type { WordStyle } from './style.js';

/** Shown while the service turns typed text into speech (before the video's own progress). */
export const MAKING_THE_VOICE = 'Making the voice…';

/** Said beside the voice picker when the voices are the local preview server's. */
export const PREVIEW_VOICES_NOTE = 'Preview voice: spoken offline by the built-in preview server, not by the avatar service.';

/** A voice as a picker shows it: its name, then its languages when the service lists any. */
export function voiceLabel(voice: Pick<Voice, 'name' | 'languages'>): string {
  const languages = voice.languages.filter((l) => l.trim() !== '');
  return languages.length === 0 ? voice.name : `${voice.name} (${languages.join(', ')})`;
}

/** The answer to saving a voice: which one, and that typed text will use it from now on. */
export function voiceSavedSentence(voice: Pick<Voice, 'name' | 'languages'>, style: Pick<WordStyle, 'bold'>): string {
  return `Your voice is now ${style.bold(voiceLabel(voice))}. Typed text is spoken in it from now on.`;
}
