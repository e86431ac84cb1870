/** Which words of a mention are commands (never read aloud) and which are text to speak. */
import { describe, expect, it } from 'vitest';
import { asksForClip, asksToSaveFace, wordsOf } from '../../../src/bots/slack/mention-words.js';

describe('mention words', () => {
  it('removes the mentions, keeps the rest as typed', () => {
    expect(wordsOf('<@U0BOT> Hello <@U0BOB|bob>, welcome!')).toBe('Hello  , welcome!');
  });

  it('"face" in at most three words saves the face; longer text mentioning a face is spoken', () => {
    expect(asksToSaveFace('face')).toBe(true);
    expect(asksToSaveFace('Save my FACE!')).toBe(true);
    expect(asksToSaveFace('look at my face everyone')).toBe(false);
    expect(asksToSaveFace('faces')).toBe(false);
  });

  it('no words, emoji only or a "make it talk" phrase asks for the clip; other words are text', () => {
    expect(asksForClip('')).toBe(true);
    expect(asksForClip(':point_up:')).toBe(true);
    expect(asksForClip('Make it talk!')).toBe(true);
    expect(asksForClip('go')).toBe(true);
    expect(asksForClip('make it talk about the roadmap')).toBe(false);
    expect(asksForClip('Welcome to the team')).toBe(false);
  });
});
