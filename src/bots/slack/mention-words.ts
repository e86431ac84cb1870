/**
 * What the words of a mention ask for, when it carries no voice clip: to save the attached image
 * as the face (`face`), to use a clip posted earlier in the thread (no words, or a "make it talk"
 * phrase), or else to speak the words. Short commands are recognised so that they are never read
 * aloud (a video saying "make it talk" costs credits and helps nobody).
 */

/** The mention's text without the mentions themselves, as typed. */
export function wordsOf(raw: string): string {
  return raw.replace(/<@[^>]+>/g, ' ').trim();
}

/** Lower case, punctuation and emoji dropped, single spaces. */
function normalise(words: string): string {
  return words
    .toLowerCase()
    .replace(/:[a-z0-9_+-]+:/g, ' ')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * "face", "save my face", "my face": at most three words, one of them `face`. Longer text that
 * happens to contain the word (e.g. "look at my face, everyone") is spoken instead.
 */
export function asksToSaveFace(words: string): boolean {
  const list = normalise(words).split(' ');
  return list.length <= 3 && list.includes('face');
}

/** Phrases that mean "the clip already here", never text to speak. */
const CLIP_PHRASES = new Set(['', 'make it talk', 'make this talk', 'make it speak', 'talk', 'speak', 'go', 'animate', 'animate this']);

/** True for a bare mention or a "make it talk" phrase. */
export function asksForClip(words: string): boolean {
  return CLIP_PHRASES.has(normalise(words));
}
