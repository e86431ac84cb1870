/**
 * Matching a person's language to a voice's, and a Chinese voice to the variant the service's
 * text-to-speech must be told. The service names languages loosely (`en`, `en-US`, `yue`,
 * `mandarin`), so both sides are reduced to a base before comparing.
 */
import type { SpeakInput, Voice } from '../ports.js';

const CHINESE = new Set(['zh', 'cmn', 'mandarin', 'yue', 'cantonese', 'chinese']);

/** `en-US` -> `en`; `Mandarin` -> `zh`; every Chinese name counts as one language for matching. */
export function languageBase(tag: string): string {
  const base = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return CHINESE.has(base) ? 'zh' : base;
}

/** True when the voice lists the locale's language. */
export function speaksLanguageOf(voice: Voice, locale: string): boolean {
  const want = languageBase(locale);
  return want !== '' && voice.languages.some((l) => languageBase(l) === want);
}

/**
 * `chinese_language` for a Chinese voice: Cantonese when the voice lists only Cantonese,
 * Mandarin when it lists Mandarin (or plain Chinese); nothing for other voices.
 */
export function chineseLanguageOf(voice: Voice): SpeakInput['chineseLanguage'] {
  const names = voice.languages.map((l) => l.trim().toLowerCase().split(/[-_]/)[0] ?? '');
  const mandarin = names.some((n) => n === 'mandarin' || n === 'cmn' || n === 'zh' || n === 'chinese');
  const cantonese = names.some((n) => n === 'yue' || n === 'cantonese');
  if (mandarin) return 'mandarin';
  return cantonese ? 'yue' : undefined;
}
