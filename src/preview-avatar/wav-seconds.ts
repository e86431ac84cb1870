/**
 * The duration of a PCM WAV from its header (`fmt ` byte rate, `data` size): the TTS answer's
 * output_duration. eSpeak NG writes an honest header; anything unreadable gives 0.
 */
export function wavSeconds(wav: Uint8Array): number {
  if (wav.byteLength < 44) return 0;
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  const tag = (at: number): string => String.fromCharCode(...wav.subarray(at, at + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return 0;
  let byteRate = 0;
  // Each round moves forward by at least 8 bytes: bounded by the file.
  for (let at = 12; at + 8 <= wav.byteLength; ) {
    const size = view.getUint32(at + 4, true);
    if (tag(at) === 'fmt ' && size >= 16) byteRate = view.getUint32(at + 16, true);
    if (tag(at) === 'data') {
      const bytes = Math.min(size, wav.byteLength - at - 8);
      return byteRate > 0 ? Math.round((bytes / byteRate) * 1000) / 1000 : 0;
    }
    at += 8 + size + (size % 2);
  }
  return 0;
}
