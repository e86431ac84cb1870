/** Byte sizes and media refusals: one formatter, sentences made from the core's facts. */
import { describe, expect, it } from 'vitest';
import { formatBytes, formatSeconds } from '../../../src/bots/shared/words/bytes.js';
import { errorSentence } from '../../../src/bots/shared/words/errors.js';
import { mediaSentence } from '../../../src/bots/shared/words/media.js';
import { SLACK_STYLE } from '../../../src/bots/slack/messages.js';
import { MediaError } from '../../../src/core/errors.js';

const MiB = 1024 * 1024;

describe('formatBytes', () => {
  it('reads a MiB limit as whole megabytes, and other sizes with one decimal at most', () => {
    expect(formatBytes(20 * MiB)).toBe('20 MB');
    expect(formatBytes(20.5 * MiB)).toBe('20.5 MB');
    expect(formatBytes(25 * MiB)).toBe('25 MB');
    expect(formatBytes(21_000_000)).toBe('20 MB');
    expect(formatBytes(MiB + 1)).toBe('1 MB');
    expect(formatBytes(MiB - 1)).toBe('1 MB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(1024)).toBe('1 KB');
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(0)).toBe('0 bytes');
  });

  it('formats durations as people say them', () => {
    expect(formatSeconds(0.1)).toBe('0.1 s');
    expect(formatSeconds(42)).toBe('42 s');
    expect(formatSeconds(300)).toBe('5 min');
    expect(formatSeconds(372)).toBe('6 min 12 s');
  });
});

describe('media refusals from facts', () => {
  const cases: [MediaError, string][] = [
    [
      new MediaError('image', 'TOO_LARGE', 'log', { facts: { found: 21.5 * MiB, limit: 20 * MiB } }),
      'The image is 21.5 MB; the limit is 20 MB.',
    ],
    // One byte over reads the same as the limit: say "over" instead of "20 MB; the limit is 20 MB".
    [
      new MediaError('image', 'TOO_LARGE', 'log', { facts: { found: 20 * MiB + 1, limit: 20 * MiB } }),
      'The image is over the limit of 20 MB.',
    ],
    [new MediaError('audio', 'TOO_LARGE', 'log', { facts: { limit: 25 * MiB } }), 'The audio file is over the limit of 25 MB.'],
    [
      new MediaError('audio', 'TOO_LONG', 'log', { facts: { seconds: 72, max: 60 } }),
      'The voice note is 1 min 12 s long; the limit is 1 min.',
    ],
    [
      new MediaError('audio', 'TOO_LONG', 'log', { facts: { seconds: 61, max: 60, atLeast: 1 } }),
      'The voice note is over 1 min 1 s long; the limit is 1 min.',
    ],
    [
      new MediaError('audio', 'TOO_SHORT', 'log', { facts: { seconds: 0.1, min: 0.3 } }),
      'The voice note is only 0.1 s long; it must be at least 0.3 s.',
    ],
    [
      new MediaError('image', 'TOO_MANY_PIXELS', 'log', { facts: { width: 10000, height: 8000, limit: 40_000_000 } }),
      'The image is 10000 × 8000 pixels (80 megapixels); the limit is 40 megapixels.',
    ],
    [
      new MediaError('image', 'TOO_SMALL', 'log', { facts: { width: 1, height: 1, min: 64 } }),
      'The image is only 1 × 1 pixels; it must be at least 64 pixels on its shortest side. Please send a larger photo of the face.',
    ],
    [
      new MediaError('image', 'TOO_SMALL', 'log', { facts: { min: 64 } }),
      'The image is too small to hold a face; it must be at least 64 pixels on its shortest side. Please send a larger photo of the face.',
    ],
    [
      new MediaError('image', 'NOT_IMAGE', 'log', { facts: { looks: 'a ZIP archive' } }),
      'The image is not a picture: it looks like a ZIP archive. Please send a JPEG or PNG photo.',
    ],
    [
      new MediaError('image', 'NOT_IMAGE', 'log'),
      'The image is not a picture: its contents match no known picture format. Please send a JPEG or PNG photo.',
    ],
    [
      new MediaError('image', 'UNSUPPORTED_FORMAT', 'log', { facts: { format: 'SVG' } }),
      'The image is an SVG drawing, which is not accepted. Please send a JPEG or PNG photo.',
    ],
    [
      new MediaError('audio', 'NOT_AUDIO', 'log', { facts: { why: 'NO_SOUND_TRACK' } }),
      'The audio file has no sound track: it is a video without sound.',
    ],
    [new MediaError('audio', 'CORRUPT', 'log', { facts: { why: 'TIMEOUT' } }), 'The audio file took too long to read; it may be damaged.'],
    [new MediaError('audio', 'CORRUPT', 'log'), 'The audio file is damaged and cannot be read.'],
  ];
  for (const [error, sentence] of cases) {
    it(`${error.kind} ${error.reason} ${JSON.stringify(error.facts)}`, () => {
      expect(mediaSentence(error)).toBe(sentence);
      // The error words use the same sentence for INVALID_MEDIA.
      expect(errorSentence(error)).toBe(sentence);
    });
  }

  it('uses the adapter noun for a recording', () => {
    const e = new MediaError('audio', 'SILENT', 'log');
    expect(errorSentence(e, SLACK_STYLE)).toMatch(/^The voice clip is silent/);
    // An ErrorUpdate names the kind `mediaKind`.
    expect(errorSentence({ code: 'INVALID_MEDIA', message: 'log', mediaKind: 'audio', reason: 'SILENT' })).toMatch(
      /^The voice note is silent/,
    );
  });

  it('falls back to a plain sentence when the kind or reason is unknown', () => {
    expect(errorSentence({ code: 'INVALID_MEDIA', message: 'The image is 3 MB', reason: 'SOMETHING' })).toBe(
      'One of the files could not be used. Try another image or voice note.',
    );
  });
});
