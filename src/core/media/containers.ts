/** Small structural checks of containers that ffmpeg reads too leniently for our purpose. */

/**
 * True when a RIFF/WAVE file's header tells the truth: the RIFF size matches the file, every chunk
 * fits, and a PCM `fmt ` chunk precedes a `data` chunk that fits. Such a file can be passed
 * through unchanged when it is also an ordinary recording (mono or stereo, 8 to 48 kHz: a
 * 96 kHz or 8-channel file is only bigger, and odd to the service); anything else is transcoded.
 */
export function isHonestPcmWav(bytes: Uint8Array): boolean {
  if (bytes.length < 44) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WAVE') return false;
  const riffEnd = view.getUint32(4, true) + 8;
  // A trailing pad byte is allowed; any other mismatch is a header that lies.
  if (riffEnd !== bytes.length && riffEnd + 1 !== bytes.length) return false;
  let offset = 12;
  let pcm = false;
  // Bounded by the file: each round moves forward by at least 8 bytes.
  while (offset + 8 <= riffEnd) {
    const id = ascii(bytes, offset, 4);
    const size = view.getUint32(offset + 4, true);
    const bodyEnd = offset + 8 + size;
    if (bodyEnd > riffEnd) return false;
    if (id === 'fmt ') {
      if (size < 16) return false;
      const format = view.getUint16(offset + 8, true);
      const channels = view.getUint16(offset + 10, true);
      const rate = view.getUint32(offset + 12, true);
      const bits = view.getUint16(offset + 22, true);
      const ordinary = channels >= 1 && channels <= 2 && rate >= 8000 && rate <= 48_000;
      // 1 = PCM, 0xFFFE = extensible (PCM in practice for voice recorders).
      pcm = (format === 1 || format === 0xfffe) && (bits === 16 || bits === 24) && ordinary;
    } else if (id === 'data') {
      return pcm && size > 0;
    }
    offset = bodyEnd + (size % 2);
  }
  return false;
}

/**
 * True when an Ogg file ends inside a page (the last page's header or body is incomplete): a
 * voice note cut off in transfer. ffmpeg decodes such a file without complaint, so we check.
 * Returns false when the bytes stop looking like Ogg pages (ffmpeg then judges the stream).
 */
export function isTruncatedOgg(bytes: Uint8Array): boolean {
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 27 > bytes.length) return true;
    if (ascii(bytes, offset, 4) !== 'OggS') return false;
    const segments = bytes[offset + 26] ?? 0;
    const tableEnd = offset + 27 + segments;
    if (tableEnd > bytes.length) return true;
    let body = 0;
    for (let i = offset + 27; i < tableEnd; i++) body += bytes[i] ?? 0;
    if (tableEnd + body > bytes.length) return true;
    offset = tableEnd + body;
  }
  return false;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.max(0, Math.min(length, bytes.length - start))).toString('latin1');
}
