/**
 * Sentences about voices (typed text spoken by the service): the progress line while speech is
 * made, a voice named with its languages, and the answers about a person's chosen voice.
 */
import type { Voice } from '../../../core/ports.js';
import { formatBytes } from './bytes.js';
import type { WordStyle } from './style.js';

type NamedVoice = Pick<Voice, 'name' | 'languages'>;
type Style = Pick<WordStyle, 'bold'>;

/** Shown while typed text becomes speech (a few seconds), before the render's progress takes over. */
export function makingVoiceSentence(): string {
  return 'Making the voice from your text…';
}

/** `en, fr`, or words saying the service lists none. */
function voiceLanguages(voice: Pick<Voice, 'languages'>): string {
  const langs = voice.languages.filter((l) => l.trim() !== '');
  return langs.length === 0 ? 'languages not listed' : langs.join(', ');
}

/** A voice in a sentence: its name (bold) and its languages. */
function voiceSummary(voice: NamedVoice, style: Style): string {
  return `${style.bold(voice.name)} (${voiceLanguages(voice)})`;
}

/** A voice in a pick list: `Name · en, fr`, cut to `max` characters (no markup: lists show it as is). */
export function voiceChoiceLabel(voice: NamedVoice, max: number): string {
  const label = `${voice.name} · ${voiceLanguages(voice)}`;
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

export function voiceSavedSentence(voice: NamedVoice, style: Style): string {
  return `Voice saved: ${voiceSummary(voice, style)}. Your typed text is spoken in it when you name no voice.`;
}

/** The saved voice, or the one typed text would use today when none is saved. */
export function voiceShownSentence(saved: NamedVoice | null, fallback: NamedVoice | null, style: Style): string {
  if (saved !== null) return `Your voice is ${voiceSummary(saved, style)}.`;
  if (fallback === null) return 'You have no saved voice, and the avatar service lists no voice right now.';
  return `You have no saved voice; your typed text is spoken in ${voiceSummary(fallback, style)}, the default.`;
}

export function voiceClearedSentence(had: boolean): string {
  return had ? 'Your saved voice is cleared; typed text uses the default voice again.' : 'You had no saved voice.';
}

/** The caption of a sample clip. */
export function voiceSampleSentence(voice: NamedVoice, style: Style): string {
  return `A sample of ${voiceSummary(voice, style)}.`;
}

export function noSampleSentence(voice: NamedVoice, style: Style): string {
  return `${voiceSummary(voice, style)} has no sample clip to play.`;
}

export function sampleTooLargeSentence(voice: NamedVoice, bytes: number, limit: number, style: Style): string {
  return `The sample of ${voiceSummary(voice, style)} is ${formatBytes(bytes)}, over the ${formatBytes(limit)} upload limit here.`;
}
