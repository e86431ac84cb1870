/**
 * Captions as an ASS script for libass (ffmpeg's `subtitles` filter), styled for phones: most
 * short videos are watched muted on a small screen, so the words sit at the bottom centre in
 * bold white with a dark outline and shadow (readable on any background), in a size relative to
 * the picture, never more than two lines at once. Pure text in, text out: the burn
 * (burn-captions.ts) writes it to a file.
 */
import type { Cue } from '../handover-ports.js';

/** Sizes in pixels of the video being captioned (the script's PlayRes is the video's own size). */
export interface CaptionLayout {
  width: number;
  height: number;
  fontSize: number;
  /** Space between the text and the bottom / the sides. */
  marginV: number;
  marginH: number;
  outline: number;
  shadow: number;
  /** Characters that fit on one line (an estimate on the safe side, see `CHAR_WIDTH_EM`). */
  lineChars: number;
}

/**
 * About 1/18 of the height (readable on a phone), but no wider than 1/14 of the width, so a
 * portrait video still gets a couple of words per line rather than one.
 */
export function captionLayout(width: number, height: number): CaptionLayout {
  const fontSize = Math.max(8, Math.round(Math.min(height / 18, width / 14)));
  const marginV = Math.round(height * 0.05);
  const marginH = Math.round(width * 0.05);
  const lineChars = Math.max(8, Math.floor((width - 2 * marginH) / (fontSize * CHAR_WIDTH_EM)));
  return { width, height, fontSize, marginV, marginH, outline: round1(fontSize * 0.08), shadow: round1(fontSize * 0.04), lineChars };
}

/**
 * The average advance of DejaVu Sans Bold's letters is a little under 0.6 em; 0.62 errs on the
 * side of an extra line break over text running off the picture. libass still wraps (WrapStyle
 * 0) if a line of wide letters is longer than this estimate.
 */
const CHAR_WIDTH_EM = 0.62;

/** The visible "AI" mark's text: a label, like the MP4 tags, not a sentence. */
const CORNER_MARK_TEXT = 'AI';

const LINES_PER_SCREEN = 2;

/** Words wrapped into lines of at most `lineChars` characters; a word longer than a line is cut. */
export function wrapWords(text: string, lineChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    for (let rest = word; rest !== ''; ) {
      const room = line === '' ? lineChars : lineChars - [...line].length - 1;
      if ([...rest].length <= room) {
        line = line === '' ? rest : `${line} ${rest}`;
        rest = '';
      } else if (line !== '') {
        lines.push(line);
        line = '';
      } else {
        const chars = [...rest];
        lines.push(chars.slice(0, lineChars).join(''));
        rest = chars.slice(lineChars).join('');
      }
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * The cue as screens of at most two lines. A cue too long for one screen is shown screen after
 * screen, its time shared in proportion to each screen's length: every word is shown, and never
 * a third line over the face.
 */
export function cueScreens(cue: Cue, lineChars: number): Cue[] {
  // The captions come split into lines already; kept when they fit, else the words flow anew.
  const given = cue.text.split(/\r?\n/).map((part) => wrapWords(part, lineChars));
  const fits = given.length <= LINES_PER_SCREEN && given.every((part) => part.length <= 1);
  const lines = fits ? given.flat() : wrapWords(cue.text, lineChars);
  const screens: string[][] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_SCREEN) screens.push(lines.slice(i, i + LINES_PER_SCREEN));
  const total = screens.reduce((sum, s) => sum + s.join(' ').length, 0);
  const out: Cue[] = [];
  let start = cue.start;
  for (const [i, screen] of screens.entries()) {
    const share = ((cue.end - cue.start) * screen.join(' ').length) / total;
    const end = i === screens.length - 1 ? cue.end : start + share;
    out.push({ start, end, text: screen.join('\n') });
    start = end;
  }
  return out;
}

/** H:MM:SS.cc, ASS's time format (centiseconds). */
export function assTime(seconds: number): string {
  const cs = Math.max(0, Math.round(seconds * 100));
  const h = Math.floor(cs / 360_000);
  const m = Math.floor((cs % 360_000) / 6000);
  const s = Math.floor((cs % 6000) / 100);
  return `${h}:${pad(m)}:${pad(s)}.${pad(cs % 100)}`;
}

/**
 * A person's words as ASS text: braces would open an override block (colours, positions) and a
 * backslash could form `\N` or `\h`, so braces become parentheses and a backslash is followed by
 * a word joiner (invisible); line breaks become ASS's `\N`; control characters go.
 */
export function assText(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ')
      .replace(/\\/g, '\\\u2060')
      .replace(/\{/g, '(')
      .replace(/\}/g, ')')
      .replace(/\n/g, '\\N')
  );
}

/** The whole script: a caption style, a corner-mark style, one event per screen (and the mark). */
export function assScript(cues: readonly Cue[], width: number, height: number, cornerMark: boolean): string {
  const l = captionLayout(width, height);
  const markSize = Math.max(8, Math.round(l.fontSize * 0.7));
  const markMargin = Math.round(Math.min(width, height) * 0.03);
  const events: string[] = [];
  for (const cue of drawableCues(cues)) {
    for (const screen of cueScreens({ start: Math.max(0, cue.start), end: cue.end, text: cue.text }, l.lineChars)) {
      events.push(`Dialogue: 0,${assTime(screen.start)},${assTime(screen.end)},Caption,,0,0,0,,${assText(screen.text)}`);
    }
  }
  // The mark stays for the whole video (ASS needs an end: ten hours is past any video here).
  if (cornerMark) events.push(`Dialogue: 1,${assTime(0)},${assTime(36_000)},Mark,,0,0,0,,${CORNER_MARK_TEXT}`);
  // Colours are &HAABBGGRR, alpha 00 opaque. BorderStyle 1: outline + shadow; 3: a box (drawn in
  // OutlineColour, here black at 40% transparency) around the mark.
  return [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${width}`,
    `PlayResY: ${height}`,
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    `Style: Caption,DejaVu Sans,${l.fontSize},&H00FFFFFF,&H00FFFFFF,&H00000000,&H80000000,-1,0,0,0,100,100,0,0,1,${l.outline},${l.shadow},2,${l.marginH},${l.marginH},${l.marginV},1`,
    `Style: Mark,DejaVu Sans,${markSize},&H00FFFFFF,&H00FFFFFF,&H66000000,&H66000000,-1,0,0,0,100,100,0,0,3,${round1(markSize * 0.25)},0,9,${markMargin},${markMargin},${markMargin},1`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...events,
    '',
  ].join('\n');
}

/** The cues a script draws: with words, and a real time span (others are skipped, not an error). */
export function drawableCues(cues: readonly Cue[]): Cue[] {
  return cues.filter((c) => Number.isFinite(c.start) && Number.isFinite(c.end) && c.end > c.start && c.text.trim() !== '');
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
