/**
 * The preview server's spoken audio: the synthesizer, the TTS answers asked for as a file_url
 * (the last few, in memory), and each voice's sample clip (spoken on first request, then kept).
 */
import { espeakVoiceFor, findPreviewVoice, type PreviewVoice } from './preview-voices.js';
import { createSynthesizer, type Synthesizer } from './synthesizer.js';

/** `/files/speech-<id>.wav` (a TTS answer's file_url) or `/files/voice-sample-<voice id>.wav`. */
export const SPEECH_FILE_PATH = /^\/files\/(speech|voice-sample)-([a-z0-9-]{1,64})\.wav$/;

/** TTS answers kept for their file_url: enough for the callers of one bot, bounded in memory. */
const KEPT_FILES = 16;

export interface SpeechStore {
  speak(voice: PreviewVoice, text: string, chineseLanguage: 'mandarin' | 'yue' | undefined): Promise<Uint8Array>;
  /** Keeps a spoken WAV for its file_url under `id`; the oldest beyond the bound is dropped. */
  keep(id: string, wav: Uint8Array): void;
  /** A kept TTS answer, or a voice's sample clip (spoken now if need be); null when there is no such file. */
  file(kind: string, id: string): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

export function createSpeechStore(synthesizer: Synthesizer = createSynthesizer()): SpeechStore {
  const kept = new Map<string, Uint8Array>();
  const samples = new Map<string, Promise<Uint8Array>>();

  const sample = (voice: PreviewVoice): Promise<Uint8Array> => {
    let clip = samples.get(voice.id);
    if (clip === undefined) {
      clip = synthesizer.speak(voice.espeak, voice.sample);
      samples.set(voice.id, clip);
      // A failed clip is not kept: the next request tries again.
      clip.catch(() => samples.delete(voice.id));
    }
    return clip;
  };

  return {
    speak: (voice, text, chineseLanguage) => synthesizer.speak(espeakVoiceFor(voice, chineseLanguage), text),

    keep(id, wav) {
      kept.set(id, wav);
      for (const old of kept.keys()) {
        if (kept.size <= KEPT_FILES) break;
        kept.delete(old);
      }
      return id;
    },

    async file(kind, id) {
      if (kind === 'speech') return kept.get(id) ?? null;
      const voice = findPreviewVoice(id);
      return voice === undefined ? null : sample(voice);
    },

    async close() {
      kept.clear();
      samples.clear();
      await synthesizer.close();
    },
  };
}
