/**
 * Timed captions from what the service heard (speech-to-text segments) or from the typed text
 * the avatar speaks, cut to phone-sized cues (lines.ts), in order, never overlapping, and
 * inside the video.
 */
import type { Cue } from '../handover-ports.js';
import { charCount, MAX_CUE_SECONDS, tidy, toCueTexts, toSentences } from './lines.js';

/** A cue shorter than this cannot be read and would not survive millisecond rounding: dropped. */
const MIN_CUE_SECONDS = 0.01;

/** Cues clamped to `[0, seconds]`, those starting at or after the end dropped. */
export function clampCues(cues: readonly Cue[], seconds: number): Cue[] {
  const out: Cue[] = [];
  for (const c of cues) {
    const start = Math.max(0, c.start);
    const end = Math.min(c.end, seconds);
    if (end - start >= MIN_CUE_SECONDS) out.push({ start, end, text: c.text });
  }
  return out;
}

/** Sorted by start; a cue starting before the previous one ends starts when it ends (no overlap). */
function orderCues(cues: readonly Cue[]): Cue[] {
  const out: Cue[] = [];
  for (const c of [...cues].sort((a, b) => a.start - b.start)) {
    const prev = out.at(-1);
    const start = prev === undefined ? c.start : Math.max(c.start, prev.end);
    if (c.end - start >= MIN_CUE_SECONDS) out.push({ start, end: c.end, text: c.text });
  }
  return out;
}

/**
 * One stretch of speech as cues: two-line cues, or one-line cues when two lines would stay on
 * screen longer than MAX_CUE_SECONDS; each timed in proportion to its characters.
 */
function splitSpan(text: string, start: number, end: number): Cue[] {
  let parts = toCueTexts(text);
  if (parts.length > 0 && (end - start) / parts.length > MAX_CUE_SECONDS) parts = toCueTexts(text, 1);
  return timeAlong(parts, (f) => start + f * (end - start));
}

/** Times parts along a monotonic map from "fraction of the characters said" to seconds. */
function timeAlong(parts: readonly string[], at: (fraction: number) => number): Cue[] {
  const sizes = parts.map((p) => charCount(p.replace(/\n/g, ' ')));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total === 0) return [];
  const cues: Cue[] = [];
  let done = 0;
  parts.forEach((text, i) => {
    const from = done / total;
    done += sizes[i] ?? 0;
    cues.push({ start: at(from), end: at(done / total), text });
  });
  return cues;
}

/**
 * Cues from speech-to-text segments: text tidied, empty ones dropped, times clamped to the
 * video's `seconds`, long segments split, none overlapping. Segments with impossible times were
 * dropped when the answer was read (transcript-answer.ts).
 */
export function cuesFromSegments(segments: readonly Cue[], seconds: number): Cue[] {
  const spans = orderCues(
    clampCues(
      segments.map((s) => ({ ...s, text: tidy(s.text) })).filter((s) => s.text !== ''),
      seconds,
    ),
  );
  return orderCues(spans.flatMap((s) => splitSpan(s.text, s.start, s.end)));
}

/** The typed text's cues: split by sentence, then by the line rule; nothing long on screen. */
function textParts(text: string): string[] {
  return toSentences(text).flatMap((sentence) => toCueTexts(sentence));
}

/**
 * Typed text timed across the speech in proportion to its characters (no speech-to-text): the
 * voice reads at an even pace, so a sentence's share of the characters is its share of the time.
 */
export function cuesFromText(text: string, seconds: number): Cue[] {
  if (seconds <= 0) return [];
  return splitLong(orderCues(timeAlong(textParts(text), (f) => f * seconds)));
}

/**
 * Typed text timed by what speech-to-text heard of it: the typed words are the truth (no
 * misheard words on screen), the segments say when each part of the text was spoken. A
 * fraction of the typed characters maps to the same fraction of the heard characters, then to
 * a time inside the segment saying them.
 */
export function cuesAlongSegments(text: string, segments: readonly Cue[], seconds: number): Cue[] {
  const spans = orderCues(
    clampCues(
      segments.map((s) => ({ ...s, text: tidy(s.text) })).filter((s) => s.text !== ''),
      seconds,
    ),
  );
  if (spans.length === 0) return cuesFromText(text, seconds);
  const sizes = spans.map((s) => charCount(s.text));
  const total = sizes.reduce((a, b) => a + b, 0);
  const at = (fraction: number): number => {
    let before = 0;
    for (const [i, s] of spans.entries()) {
      const size = sizes[i] ?? 0;
      if (fraction * total <= before + size || i === spans.length - 1) {
        const inside = size === 0 ? 0 : Math.min(1, Math.max(0, (fraction * total - before) / size));
        return s.start + inside * (s.end - s.start);
      }
      before += size;
    }
    return seconds;
  };
  return splitLong(orderCues(timeAlong(textParts(text), at)));
}

/** A two-line cue on screen longer than MAX_CUE_SECONDS becomes one cue per line. */
function splitLong(cues: readonly Cue[]): Cue[] {
  return cues.flatMap((c) => (c.end - c.start > MAX_CUE_SECONDS && c.text.includes('\n') ? splitSpan(c.text, c.start, c.end) : [c]));
}

/** All the cues' words as one text, for the transcript. */
export function transcriptOf(cues: readonly Cue[]): string {
  return tidy(cues.map((c) => c.text).join(' '));
}
