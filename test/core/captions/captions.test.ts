/**
 * Captions as files people and players read: cues from speech-to-text segments and from typed
 * text, phone-sized, in order, inside the video, and written as WebVTT and SRT that real
 * parsers accept with the same times and words.
 */
import { expect, test } from 'vitest';
import {
  clampCues,
  cuesAlongSegments,
  cuesFromSegments,
  cuesFromText,
  toSrt,
  toVtt,
  transcriptOf,
} from '../../../src/core/captions/index.js';
import { readSrt, readVtt, timesProblems } from '../../helpers/caption-files.js';

const LONG =
  'The quarterly review covers revenue, hiring and the new office. Revenue grew by twelve percent, mostly from the enterprise plan. ' +
  'We hired nine people! Questions? Ask in the thread after the call, or write to me directly any time this week.';

function lineProblems(texts: readonly string[]): string[] {
  return texts.flatMap((t, i) => {
    const lines = t.split('\n');
    const bad = lines.length > 2 || lines.some((l) => [...l].length > 42 || l.trim() === '');
    return bad ? [`cue ${i + 1}: ${JSON.stringify(t)}`] : [];
  });
}

test('speech-to-text segments become cues: tidied, empty ones dropped, clamped to the video, long ones split', () => {
  const cues = cuesFromSegments(
    [
      { start: 0.2, end: 1.4, text: '  Hello   there. ' },
      { start: 1.5, end: 1.9, text: '   ' },
      { start: 1.3, end: 14, text: LONG },
      { start: 14.5, end: 20, text: 'After the end of the video.' },
    ],
    12,
  );
  expect(cues[0]).toEqual({ start: 0.2, end: 1.4, text: 'Hello there.' });
  expect(timesProblems(cues, 12)).toEqual([]);
  expect(lineProblems(cues.map((c) => c.text))).toEqual([]);
  expect(cues.every((c) => c.end - c.start <= 6)).toBe(true);
  // Every word of the kept segments is on screen once, in order; nothing of the one past the end.
  expect(transcriptOf(cues)).toBe(`Hello there. ${LONG}`);
  expect(transcriptOf(cues)).not.toContain('After the end');
});

test('typed text is timed across the speech by sentence, in proportion to its characters', () => {
  const cues = cuesFromText('Short one. This second sentence is quite a lot longer than the first.', 6);
  expect(cues.map((c) => c.text)).toEqual(['Short one.', 'This second sentence is quite a lot longer\nthan the first.']);
  expect(cues[0]?.start).toBe(0);
  expect(cues.at(-1)?.end).toBeCloseTo(6, 6);
  // 10 characters of 68: about 0.9 s of 6.
  expect(cues[0]?.end).toBeCloseTo((10 / 68) * 6, 6);
  expect(cuesFromText('Anything', 0)).toEqual([]);
});

test('a long typed text on a slow voice never keeps two lines on screen longer than six seconds', () => {
  const cues = cuesFromText(LONG, 120);
  expect(timesProblems(cues, 120)).toEqual([]);
  expect(lineProblems(cues.map((c) => c.text))).toEqual([]);
  for (const c of cues) if (c.text.includes('\n')) expect(c.end - c.start).toBeLessThanOrEqual(6);
  expect(transcriptOf(cues)).toBe(LONG);
});

test('typed text timed by what speech-to-text heard keeps the typed words and follows the heard times', () => {
  const heard = [
    { start: 1, end: 2, text: 'Good morning tim.' },
    { start: 4, end: 6, text: 'See you at the stand up.' },
  ];
  const cues = cuesAlongSegments('Good morning, team. See you at the stand-up.', heard, 8);
  expect(cues.map((c) => c.text)).toEqual(['Good morning, team.', 'See you at the stand-up.']);
  expect(cues[0]?.start).toBe(1);
  expect(cues[1]?.end).toBe(6);
  // The pause between the segments is not captioned as the first sentence.
  expect(cues[0]?.end).toBeLessThanOrEqual(4.1);
  expect(cuesAlongSegments('No segments heard.', [], 3)).toEqual(cuesFromText('No segments heard.', 3));
});

test('clampCues drops what starts after the end and shortens what runs past it', () => {
  const cues = [
    { start: 0, end: 2, text: 'a' },
    { start: 2, end: 5, text: 'b' },
    { start: 5, end: 6, text: 'c' },
  ];
  expect(clampCues(cues, 4)).toEqual([
    { start: 0, end: 2, text: 'a' },
    { start: 2, end: 4, text: 'b' },
  ]);
});

test('the WebVTT and SRT files parse, with the same times and words as the cues', () => {
  const cues = [...cuesFromText(LONG, 30), { start: 30, end: 3725.5, text: 'Tags <b>stay</b> text & arrows --> too\n\nno blank lines' }];
  const vtt = toVtt(cues);
  expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
  const fromVtt = readVtt(vtt);
  const fromSrt = readSrt(toSrt(cues));
  for (const read of [fromVtt, fromSrt]) {
    expect(read).toHaveLength(cues.length);
    expect(timesProblems(read, 3725.5)).toEqual([]);
    read.forEach((r, i) => {
      expect(r.start).toBeCloseTo(cues[i]?.start ?? -1, 3);
      expect(r.end).toBeCloseTo(cues[i]?.end ?? -1, 3);
    });
  }
  expect(fromVtt.at(-1)?.text).toBe('Tags &lt;b&gt;stay&lt;/b&gt; text &amp; arrows --&gt; too\nno blank lines');
  expect(fromSrt.at(-1)?.text).toBe('Tags <b>stay</b> text & arrows --> too\nno blank lines');
  expect(toSrt(cues)).toContain('01:02:05,500');
});
