/**
 * Caption text cut to what a phone screen shows at once: lines of at most LINE_CHARS characters
 * (broken between words; a word longer than a line is cut), at most two lines per cue.
 */

/** Broadcast subtitle guides (BBC, Netflix) keep a line near 42 characters. */
const LINE_CHARS = 42;
/** Lines per cue, at most. */
const CUE_LINES = 2;
/** A cue longer than this is split further when it has more than one line. */
export const MAX_CUE_SECONDS = 6;

/** Whitespace runs become one space; ends trimmed. */
export function tidy(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** Counted in characters (code points), as people read them, not UTF-16 units. */
export function charCount(text: string): number {
  return [...text].length;
}

/** Greedy line filling, word by word. */
function toLines(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const raw of tidy(text).split(' ')) {
    if (raw === '') continue;
    let word = raw;
    // A word longer than a line (a URL, a long compound) is cut: it must still fit the screen.
    while (charCount(word) > LINE_CHARS) {
      if (line !== '') lines.push(line);
      const cps = [...word];
      lines.push(cps.slice(0, LINE_CHARS).join(''));
      word = cps.slice(LINE_CHARS).join('');
      line = '';
    }
    if (word === '') continue;
    if (line === '') line = word;
    else if (charCount(line) + 1 + charCount(word) <= LINE_CHARS) line = `${line} ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Lines grouped into cue texts of at most CUE_LINES lines (joined by a newline). */
export function toCueTexts(text: string, linesPerCue = CUE_LINES): string[] {
  const lines = toLines(text);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += linesPerCue) out.push(lines.slice(i, i + linesPerCue).join('\n'));
  return out;
}

/** Sentences, each with its closing punctuation; text without any is one sentence. */
export function toSentences(text: string): string[] {
  const found = tidy(text).match(/[^.!?…。！？]+(?:[.!?…。！？]+["'”’»)\]]*|$)/gu) ?? [];
  return found.map(tidy).filter((s) => s !== '');
}
