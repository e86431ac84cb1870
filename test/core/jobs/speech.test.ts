import { describe, expect, test } from 'vitest';
import { checkSpokenText } from '../../../src/core/jobs/speech.js';
import { chineseLanguageOf, languageBase } from '../../../src/core/voices/languages.js';
import type { Voice } from '../../../src/core/ports.js';

describe('the text to speak', () => {
  test('is trimmed and its whitespace runs joined', () => {
    expect(checkSpokenText('  Hello\n\n  there\t friend  ', 100)).toBe('Hello there friend');
  });

  test('empty (or only whitespace) is refused as EMPTY', () => {
    expect(() => checkSpokenText(' \n\t ', 100)).toThrow(expect.objectContaining({ code: 'INVALID_TEXT', reason: 'EMPTY' }));
  });

  test('too long is refused with the count and the limit, counted in characters, not UTF-16 units', () => {
    expect(checkSpokenText('😀'.repeat(10), 10)).toBe('😀'.repeat(10));
    expect(() => checkSpokenText('😀'.repeat(11), 10)).toThrow(
      expect.objectContaining({ code: 'INVALID_TEXT', reason: 'TOO_LONG', facts: { chars: 11, limit: 10 } }),
    );
  });
});

describe('languages', () => {
  const v = (languages: string[]): Voice => ({ id: 'x', name: 'x', description: '', languages, sampleUrl: null, premade: true });

  test('a locale and a voice language meet at their base; every Chinese name is one language', () => {
    expect(languageBase('en-US')).toBe('en');
    expect(languageBase('pt_BR')).toBe('pt');
    expect(languageBase('Mandarin')).toBe('zh');
    expect(languageBase('yue')).toBe('zh');
  });

  test('Chinese voices are told their variant; others are not', () => {
    expect(chineseLanguageOf(v(['en', 'yue']))).toBe('yue');
    expect(chineseLanguageOf(v(['zh', 'mandarin']))).toBe('mandarin');
    expect(chineseLanguageOf(v(['cmn']))).toBe('mandarin');
    expect(chineseLanguageOf(v(['en', 'de']))).toBeUndefined();
  });
});
