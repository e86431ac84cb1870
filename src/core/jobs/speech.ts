/**
 * Typed text becomes a voice file once, at intake: the text is checked, the voice chosen, the
 * service's text-to-speech called, and its audio goes through the same checks and preparation
 * as a voice note. The job is stored with that audio, so a restart after intake, and a Retry,
 * never call text-to-speech again.
 */
import { AvatarError, MediaError } from '../errors.js';
import { bytesInput } from '../media-input.js';
import type { AvatarApi, MediaInput, SpeechSource, Voice, VoiceShelf } from '../ports.js';
import { chineseLanguageOf } from '../voices/languages.js';

/** Typed text checked and matched to its voice, before anything costs credits. */
export interface SpeechPlan {
  text: string;
  voice: Voice;
}

/** Whitespace runs become one space (line breaks are pauses in speech either way); ends trimmed. */
function tidySpokenText(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** Refuses empty and too-long text with the count and the limit (counted in characters, not UTF-16 units). */
export function checkSpokenText(raw: string, limit: number): string {
  const text = tidySpokenText(raw);
  const chars = [...text].length;
  if (chars === 0) throw new AvatarError('INVALID_TEXT', 'The text to speak is empty.', { reason: 'EMPTY' });
  if (chars > limit) {
    throw new AvatarError('INVALID_TEXT', `The text to speak has ${chars} characters (limit ${limit}).`, {
      reason: 'TOO_LONG',
      facts: { chars, limit },
    });
  }
  return text;
}

export interface SpeechOwner {
  platform: string;
  requesterId: string;
  locale?: string | undefined;
}

/** Checks the text and picks the voice: cheap, and done before the quota is counted or credits spent. */
export async function planSpeech(
  speech: Extract<SpeechSource, { kind: 'typed-text' }>,
  owner: SpeechOwner,
  deps: { voices: VoiceShelf; textMaxChars: number },
): Promise<SpeechPlan> {
  const text = checkSpokenText(speech.text, deps.textMaxChars);
  const voice = await deps.voices.choose(owner.platform, owner.requesterId, {
    ...(speech.voiceId === undefined ? {} : { voiceId: speech.voiceId }),
    ...(owner.locale === undefined ? {} : { locale: owner.locale }),
  });
  return { text, voice };
}

/** Speaks the planned text; the answer is a media input like an uploaded voice note. */
export async function speakPlan(plan: SpeechPlan, api: Pick<AvatarApi, 'speak'>): Promise<MediaInput> {
  const chineseLanguage = chineseLanguageOf(plan.voice);
  const spoken = await api.speak({
    text: plan.text,
    voiceId: plan.voice.id,
    ...(chineseLanguage === undefined ? {} : { chineseLanguage }),
  });
  return bytesInput(spoken.audio, 'speech.wav');
}

/**
 * A spoken text longer than the audio limit is the text's fault, not a file's: it is refused in
 * words about the text ("shorten it"), with the seconds and the limit.
 */
export function asTextRefusal(err: unknown): unknown {
  if (err instanceof MediaError && err.kind === 'audio' && err.reason === 'TOO_LONG') {
    return new AvatarError('INVALID_TEXT', err.message, { reason: 'SPEECH_TOO_LONG', facts: err.facts, cause: err });
  }
  return err;
}
