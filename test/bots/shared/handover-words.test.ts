/** The hand-over's shared words: the transcript excerpt, one line per note, the caption file names. */
import { describe, expect, it } from 'vitest';
import { captionFileNames, handoverNoteLines, handoverNoteSentence, transcriptExcerpt } from '../../../src/bots/shared/words/handover.js';
import type { HandoverNote } from '../../../src/core/ports.js';

const WORDS = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon';

describe('transcriptExcerpt', () => {
  it('keeps a short transcript whole, spaces flattened, with no "…"', () => {
    expect(transcriptExcerpt('  Hello   there.\n\nHow are you? ', { lines: 3, chars: 200 })).toBe('Hello there.\nHow are you?');
  });

  it('past the lines: the first lines and "…", never cutting inside a word', () => {
    const text = ['One line.', 'Two line.', 'Three line.', 'Four line.'].join('\n');
    const out = transcriptExcerpt(text, { lines: 3, chars: 500 });
    expect(out).toBe('One line.\nTwo line.\nThree line.…');
  });

  it('wraps one long line into lines and cuts at a word boundary within the characters', () => {
    const out = transcriptExcerpt(`${WORDS} ${WORDS} ${WORDS}`, { lines: 3, chars: 60, lineChars: 40 });
    expect(out.endsWith('…')).toBe(true);
    expect(out.length).toBeLessThanOrEqual(60);
    const kept = out.slice(0, -1).split(/\s+/);
    // Every word shown is a whole word of the transcript.
    for (const w of kept) expect(WORDS.split(' ')).toContain(w);
    expect(out.split('\n').length).toBeLessThanOrEqual(3);
  });

  it('is never empty when there are words (one word longer than the room is cut inside), empty for blank text', () => {
    const long = 'x'.repeat(500);
    const out = transcriptExcerpt(long, { lines: 1, chars: 20 });
    expect(out).toBe(`${'x'.repeat(19)}…`);
    expect(transcriptExcerpt('   \n  ', { lines: 3, chars: 100 })).toBe('');
    expect(transcriptExcerpt(',,,, ,,,, more words here', { lines: 1, chars: 6 }).length).toBeGreaterThan(1);
  });
});

describe('handover notes', () => {
  it('says why there are no captions, naming the preview server only in preview', () => {
    expect(handoverNoteSentence('CAPTIONS_NEED_SPEECH_TO_TEXT', true)).toContain('preview server has no speech-to-text');
    expect(handoverNoteSentence('CAPTIONS_NEED_SPEECH_TO_TEXT', false)).not.toContain('preview');
  });

  it('has one distinct plain sentence per note; link-only notes point at the link; repeats are said once', () => {
    const all: HandoverNote[] = ['CAPTIONS_NEED_SPEECH_TO_TEXT', 'CAPTIONS_FAILED', 'BURN_FAILED', 'VIDEO_UNAVAILABLE', 'VIDEO_TOO_BIG'];
    const lines = handoverNoteLines(all, false);
    expect(new Set(lines).size).toBe(all.length);
    expect(handoverNoteSentence('VIDEO_TOO_BIG', false)).toContain('link');
    expect(handoverNoteSentence('VIDEO_UNAVAILABLE', false)).toContain('link');
    expect(handoverNoteSentence('BURN_FAILED', false)).toContain('caption files');
    expect(handoverNoteLines(['BURN_FAILED', 'BURN_FAILED'], false)).toHaveLength(1);
    expect(handoverNoteLines(undefined, false)).toEqual([]);
  });
});

describe('captionFileNames', () => {
  it('names the caption files after the video', () => {
    expect(captionFileNames('talking-avatar-1a2b.mp4')).toEqual({ vtt: 'talking-avatar-1a2b.vtt', srt: 'talking-avatar-1a2b.srt' });
    expect(captionFileNames('clip')).toEqual({ vtt: 'clip.vtt', srt: 'clip.srt' });
  });
});
