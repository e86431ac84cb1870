/**
 * `render --text`: the text checked as the bot checks it, its voice found in the service's
 * list (the one given, else DEFAULT_VOICE_ID, else the first premade voice), then spoken by
 * the service's text-to-speech. The CLI submits directly rather than through the core's jobs,
 * so it calls the API itself.
 */
import { AvatarError } from '../core/errors.js';
import { checkSpokenText } from '../core/jobs/speech.js';
import type { AvatarApi, Voice } from '../core/ports.js';
import { chineseLanguageOf } from '../core/voices/languages.js';

export interface TextSpeech {
  text: string;
  /** --voice; when absent, `defaultVoiceId`, else the first premade voice. */
  voiceId: string | undefined;
}

async function chooseVoice(api: AvatarApi, wanted: string | undefined): Promise<Voice> {
  const voices = await api.voices();
  if (wanted !== undefined) {
    const voice = voices.find((v) => v.id === wanted);
    if (voice === undefined)
      throw new AvatarError('UNKNOWN_VOICE', `No voice "${wanted}" in the service's list.`, { facts: { voice: wanted } });
    return voice;
  }
  const voice = voices.find((v) => v.premade) ?? voices[0];
  if (voice === undefined) throw new AvatarError('UNKNOWN_VOICE', 'The avatar service lists no voices.', { reason: 'NO_VOICES' });
  return voice;
}

/** The spoken text as audio bytes (a WAV from the service, or its raw PCM wrapped as one). */
export async function speakText(
  speech: TextSpeech,
  deps: { api: AvatarApi; textMaxChars: number; defaultVoiceId: string | undefined; onSpeaking?: (voice: Voice) => void },
): Promise<Uint8Array> {
  // Checked before any request: an empty or too-long text costs nothing.
  const text = checkSpokenText(speech.text, deps.textMaxChars);
  const voice = await chooseVoice(deps.api, speech.voiceId ?? deps.defaultVoiceId);
  deps.onSpeaking?.(voice);
  const chineseLanguage = chineseLanguageOf(voice);
  const spoken = await deps.api.speak({ text, voiceId: voice.id, ...(chineseLanguage === undefined ? {} : { chineseLanguage }) });
  return spoken.audio;
}
