/**
 * The caption files: WebVTT (players, the playground's `<track>`) and SubRip (video editors).
 * Cues are expected in order and inside the video (cues.ts makes them so).
 */
import type { Cue } from '../handover-ports.js';

/** `hh:mm:ss.mmm` (WebVTT) or `hh:mm:ss,mmm` (SRT), from seconds. */
function timestamp(seconds: number, separator: '.' | ','): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

/** A cue's lines without blank ones: a blank line ends a cue in both formats. */
function cueLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** WebVTT text is markup: `&`, `<` and `>` are escaped (so a person's words never become tags or an arrow). */
function vttEscape(line: string): string {
  return line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function toVtt(cues: readonly Cue[]): string {
  const blocks = cues.map(
    (c, i) => `${i + 1}\n${timestamp(c.start, '.')} --> ${timestamp(c.end, '.')}\n${cueLines(c.text).map(vttEscape).join('\n')}\n`,
  );
  return ['WEBVTT\n', ...blocks].join('\n');
}

export function toSrt(cues: readonly Cue[]): string {
  return cues
    .map((c, i) => `${i + 1}\n${timestamp(c.start, ',')} --> ${timestamp(c.end, ',')}\n${cueLines(c.text).join('\n')}\n`)
    .join('\n');
}
