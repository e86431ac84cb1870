import { fileTypeFromBuffer } from 'file-type';
import type { SniffResult } from '../ports.js';

/**
 * Sniffs a file's kind by its bytes only (file-type's magic numbers, plus a check for SVG,
 * which file-type leaves out because it is text). Names and declared types are never used.
 */
export async function sniffBytes(bytes: Uint8Array): Promise<SniffResult> {
  if (bytes.length === 0) return { kind: 'other', mime: null, ext: null };
  const found = await fileTypeFromBuffer(bytes);
  // file-type calls an SVG with an XML declaration plain XML: look inside text-like results.
  if ((!found || found.mime === 'application/xml' || found.mime === 'text/xml') && looksLikeSvg(bytes)) {
    return { kind: 'image', mime: 'image/svg+xml', ext: 'svg' };
  }
  if (!found) return { kind: 'other', mime: null, ext: null };
  return { kind: kindOf(found.mime), mime: found.mime, ext: found.ext };
}

function kindOf(mime: string): SniffResult['kind'] {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('audio/') || mime === 'application/ogg') return 'audio';
  if (mime.startsWith('video/')) return 'video';
  return 'other';
}

/** True when the start of the file reads as an SVG document (`<svg` within the first 4 KiB of text). */
function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 4096))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (!head.startsWith('<')) return false;
  return /<svg[\s>]/i.test(head);
}

const NAMES: Record<string, string> = {
  'image/jpeg': 'a JPEG image',
  'image/png': 'a PNG image',
  'image/gif': 'a GIF image',
  'image/webp': 'a WebP image',
  'image/avif': 'an AVIF image',
  'image/heic': 'a HEIC photo',
  'image/heif': 'a HEIF photo',
  'image/svg+xml': 'an SVG drawing',
  'image/tiff': 'a TIFF image',
  'image/bmp': 'a BMP image',
  'audio/mpeg': 'an MP3 audio file',
  'audio/wav': 'a WAV audio file',
  'audio/ogg': 'an OGG audio file',
  'audio/opus': 'an Opus voice note',
  'audio/x-flac': 'a FLAC audio file',
  'audio/flac': 'a FLAC audio file',
  'audio/x-m4a': 'an M4A audio file',
  'audio/mp4': 'an M4A audio file',
  'audio/webm': 'a WebM audio file',
  'video/mp4': 'an MP4 video',
  'video/webm': 'a WebM video',
  'video/quicktime': 'a QuickTime video',
  'application/zip': 'a ZIP archive',
  'application/pdf': 'a PDF document',
  'application/x-elf': 'a program',
  'application/x-msdownload': 'a program',
};

/** Plain words for what a sniffed file looks like, e.g. "a PNG image"; null when unknown. */
export function describeSniff(sniff: SniffResult): string | null {
  if (sniff.mime === null) return null;
  const known = NAMES[baseMime(sniff.mime)];
  if (known) return known;
  const ext = sniff.ext?.toUpperCase() ?? 'unknown';
  const noun = sniff.kind === 'image' ? 'image' : sniff.kind === 'audio' ? 'audio file' : sniff.kind === 'video' ? 'video' : 'file';
  return `${article(ext)} ${ext} ${noun}`;
}

/** What the bytes look like, as a fact for a refusal's words (none when unknown). */
export function looksFact(looks: string | null): { looks: string } | Record<string, never> {
  return looks === null ? {} : { looks };
}

/** "an" before a spelled-out letter with a vowel sound (an MP3, an XML), "a" otherwise (a ZIP). */
function article(upperWord: string): string {
  return /^[AEFHILMNORSX]/.test(upperWord) ? 'an' : 'a';
}

/** The type without parameters: `audio/ogg; codecs=opus` gives `audio/ogg`. */
export function baseMime(mime: string): string {
  return (mime.split(';')[0] ?? mime).trim().toLowerCase();
}
