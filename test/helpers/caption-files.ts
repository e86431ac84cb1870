/** The caption files read back with real parsers (the W3C validator's WebVTT parser, an SRT parser), never a regex. */
import { parse as parseSrt } from '@plussub/srt-vtt-parser';
import webvtt from 'webvtt-parser';

export interface ReadCue {
  start: number;
  end: number;
  text: string;
}

/** Parses WebVTT; throws with the parser's complaints when it has any. */
export function readVtt(text: string): ReadCue[] {
  const { cues, errors } = new webvtt.WebVTTParser().parse(text, 'metadata');
  if (errors.length > 0) throw new Error(`WebVTT errors: ${errors.map((e) => `${e.line}: ${e.message}`).join('; ')}`);
  return cues.map((c) => ({ start: c.startTime, end: c.endTime, text: c.text }));
}

/** Parses SRT (times in seconds). */
export function readSrt(text: string): ReadCue[] {
  // The package's own types import './types' without an extension, which NodeNext cannot follow: typed here.
  const entries: Array<{ from: number; to: number; text: string }> = parseSrt(text).entries;
  return entries.map((e) => ({ start: e.from / 1000, end: e.to / 1000, text: e.text }));
}

/** Every cue inside [0, seconds], each ending after it starts, none overlapping the next. */
export function timesProblems(cues: readonly ReadCue[], seconds: number): string[] {
  const problems: string[] = [];
  cues.forEach((c, i) => {
    if (c.start < 0 || c.end > seconds + 0.0005) problems.push(`cue ${i + 1} ${c.start}-${c.end} outside 0-${seconds}`);
    if (c.end <= c.start) problems.push(`cue ${i + 1} ends before it starts`);
    const next = cues[i + 1];
    if (next !== undefined && next.start < c.end - 0.0005) problems.push(`cue ${i + 1} overlaps cue ${i + 2}`);
  });
  return problems;
}
