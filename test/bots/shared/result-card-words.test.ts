/** The result card's shared words: the spoken text cut short, the length, the form's refusals. */
import { describe, expect, it } from 'vitest';
import { durationLine, formProblem, shortSpokenText } from '../../../src/bots/shared/words/result-card.js';

describe('result card words', () => {
  it('cuts the spoken text to the limit with "…", flattening whitespace; short text is kept whole', () => {
    expect(shortSpokenText('Hello\n  there', 50)).toBe('Hello there');
    const cut = shortSpokenText('word '.repeat(100), 20);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(20);
  });

  it('says the length only when the service gave one', () => {
    expect(durationLine(7.24)).toBe('Length 7.2 s');
    expect(durationLine(75)).toBe('Length 1 min 15 s');
    expect(durationLine(null)).toBeNull();
    expect(durationLine(0)).toBeNull();
  });

  it('asks for exactly one of a voice note and text, and a voice only with text', () => {
    expect(formProblem(true, false, false)).toBeNull();
    expect(formProblem(false, true, true)).toBeNull();
    expect(formProblem(true, true, false)).toContain('not both');
    expect(formProblem(false, false, false)).toContain('voice note or type');
    expect(formProblem(true, false, true)).toContain('voice note already has its own voice');
  });
});
