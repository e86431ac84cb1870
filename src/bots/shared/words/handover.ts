/**
 * The words that go with a handed-over video, for every adapter: the transcript shortened for a
 * message, one plain line per HandoverNote (why a part people expect is missing), and the
 * names of the caption files beside the video. Platform-free: adapters add their own markup.
 */
import type { HandoverNote } from '../../../core/ports.js';

export interface ExcerptOptions {
  /** Lines at most (a line is one of the transcript's own lines, or a wrapped stretch of `lineChars`). */
  lines: number;
  /** Characters at most in the whole excerpt, "…" included. */
  chars: number;
  /** How long a wrapped line may be (a transcript is often one long line). Default 80. */
  lineChars?: number;
}

/** Cuts `text` to at most `max` characters at a word boundary; a first word longer than `max` is cut inside (never empty). */
function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max + 1);
  const space = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\n'));
  return space > 0 ? head.slice(0, space).trimEnd() : text.slice(0, max);
}

/** Splits one line into stretches of at most `width` characters, breaking between words. */
function wrap(line: string, width: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const piece = cutAtWord(rest, width);
    out.push(piece);
    rest = rest.slice(piece.length).trimStart();
  }
  if (rest !== '') out.push(rest);
  return out;
}

/**
 * The transcript as a message shows it: its first few lines, ending in "…" when there is more.
 * Never cuts inside a word (unless one word alone is longer than the room), never empty when
 * the text has words; '' for a text of only spaces.
 */
export function transcriptExcerpt(text: string, options: ExcerptOptions): string {
  const width = Math.max(1, options.lineChars ?? 80);
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter((l) => l !== '')
    .flatMap((l) => wrap(l, width));
  if (lines.length === 0) return '';
  const maxLines = Math.max(1, options.lines);
  const room = Math.max(2, options.chars);
  const kept = lines.slice(0, maxLines).join('\n');
  const whole = lines.length <= maxLines && kept.length <= room;
  if (whole) return kept;
  // Room for the "…".
  const cut = cutAtWord(kept, room - 1).replace(/[\s,;:]+$/, '');
  return `${cut === '' ? kept.slice(0, room - 1) : cut}…`;
}

/** The caption files' names beside a video: `x.mp4` → `x.vtt`, `x.srt`. */
export function captionFileNames(videoName: string): { vtt: string; srt: string } {
  const base = videoName.replace(/\.[A-Za-z0-9]{1,5}$/, '') || 'captions';
  return { vtt: `${base}.vtt`, srt: `${base}.srt` };
}

/** One plain sentence per note. `preview`: the service is the built-in preview server. */
export function handoverNoteSentence(note: HandoverNote, preview: boolean): string {
  switch (note) {
    case 'CAPTIONS_NEED_SPEECH_TO_TEXT':
      return preview
        ? 'No captions: the preview server has no speech-to-text, so a voice note cannot be transcribed.'
        : 'No captions: the avatar service offers no speech-to-text, so a voice note cannot be transcribed.';
    case 'CAPTIONS_FAILED':
      return 'No captions: the speech could not be transcribed this time.';
    case 'BURN_FAILED':
      return 'The captions could not be drawn into the video; they come as caption files beside it instead.';
    case 'VIDEO_UNAVAILABLE':
      return 'The video could not be prepared for upload here; use the link.';
    case 'VIDEO_TOO_BIG':
      return 'The video is too large to upload here; use the link.';
  }
}

/** The notes' sentences, in order, each once. */
export function handoverNoteLines(notes: readonly HandoverNote[] | undefined, preview: boolean): string[] {
  return [...new Set(notes ?? [])].map((n) => handoverNoteSentence(n, preview));
}

/** The label above the transcript, and the caption files' one-line explanation. */
export const HANDOVER_WORDS = {
  transcriptLabel: 'Transcript',
  captionFiles: 'Captions: WebVTT for players, SRT for video editors.',
} as const;
