import { describe, expect, it } from 'vitest';
import { decodeCaptions } from '../../../src/core/store/captions-codec.js';

const good = { source: 'typed-text', cues: [{ start: 0, end: 2, text: 'Hi' }], text: 'Hi' };

describe('stored captions are read back defensively', () => {
  it('well-formed JSON reads back as it was written', () => {
    expect(decodeCaptions(JSON.stringify(good))).toEqual(good);
  });

  it('anything else reads as none: never a half-read caption track', () => {
    const bad = [
      'not json',
      'null',
      '[]',
      JSON.stringify({ ...good, source: 'guess' }),
      JSON.stringify({ ...good, text: 5 }),
      JSON.stringify({ ...good, cues: 'x' }),
      JSON.stringify({ ...good, cues: [{ start: 2, end: 1, text: 'reversed' }] }),
      JSON.stringify({ ...good, cues: [{ start: -1, end: 1, text: 'negative' }] }),
      JSON.stringify({ ...good, cues: [{ start: 0, end: 1 }] }),
    ];
    for (const raw of bad) expect(decodeCaptions(raw)).toBeNull();
    expect(decodeCaptions(null)).toBeNull();
  });
});
