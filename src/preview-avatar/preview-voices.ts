/**
 * The preview server's voices: eSpeak NG voices (robotic, offline) under ids that say what they
 * are. Each name says "Preview voice", as each preview video says "preview": nobody should take
 * them for the service's real voices. The first is the default voice when a person has none.
 */
export interface PreviewVoice {
  /** The voice_profile_id the API uses. */
  id: string;
  /** The eSpeak NG voice that speaks it. */
  espeak: string;
  name: string;
  /** As the service lists them: a base language, and the variant where one helps. */
  languages: string[];
  /** The sample clip's words, in the voice's language. */
  sample: string;
}

export const PREVIEW_VOICES: readonly PreviewVoice[] = [
  {
    id: 'preview-en-us',
    espeak: 'en-us',
    name: 'Preview voice · English (US)',
    languages: ['en', 'en-US'],
    sample: 'Hello! This is the preview voice for American English.',
  },
  {
    id: 'preview-en-gb',
    espeak: 'en-gb-x-rp',
    name: 'Preview voice · English (UK)',
    languages: ['en', 'en-GB'],
    sample: 'Hello! This is the preview voice for British English.',
  },
  {
    id: 'preview-de',
    espeak: 'de',
    name: 'Preview voice · Deutsch',
    languages: ['de'],
    sample: 'Hallo! Das ist die Vorschaustimme für Deutsch.',
  },
  {
    id: 'preview-fr',
    espeak: 'fr-fr',
    name: 'Preview voice · Français',
    languages: ['fr'],
    sample: 'Bonjour ! Voici la voix de prévisualisation en français.',
  },
  {
    id: 'preview-es',
    espeak: 'es',
    name: 'Preview voice · Español',
    languages: ['es'],
    sample: '¡Hola! Esta es la voz de vista previa en español.',
  },
  {
    id: 'preview-zh',
    espeak: 'cmn',
    name: 'Preview voice · 普通话 (Mandarin)',
    languages: ['zh', 'mandarin'],
    sample: '你好！这是普通话的预览语音。',
  },
  {
    id: 'preview-yue',
    espeak: 'yue',
    name: 'Preview voice · 廣東話 (Cantonese)',
    languages: ['yue'],
    sample: '你好！呢個係廣東話嘅預覽聲音。',
  },
];

export const PREVIEW_VOICE_DESCRIPTION =
  'A robotic offline voice (eSpeak NG) of the local preview server, for trying the bot without the real service.';

/** eSpeak NG's Chinese voices, chosen by the request's chinese_language for a Chinese voice. */
const CHINESE_ESPEAK = { mandarin: 'cmn', yue: 'yue' } as const;

/**
 * The eSpeak NG voice for a request: a Chinese voice follows `chinese_language` when the request
 * gives one (the service's meaning of it); other voices ignore it.
 */
export function espeakVoiceFor(voice: PreviewVoice, chineseLanguage: 'mandarin' | 'yue' | undefined): string {
  const chinese = voice.espeak === 'cmn' || voice.espeak === 'yue';
  return chinese && chineseLanguage !== undefined ? CHINESE_ESPEAK[chineseLanguage] : voice.espeak;
}

export function findPreviewVoice(id: string): PreviewVoice | undefined {
  return PREVIEW_VOICES.find((v) => v.id === id);
}
