/** Sizes and durations in the words people read: one rule everywhere, so one limit reads one way. */

const KB = 1024;
const MB = 1024 * 1024;

/**
 * "20 MB", "20.5 MB", "800 KB", "12 bytes". Binary units (a limit set as MAX_IMAGE_MB=20 is
 * 20 × 1024² bytes and reads "20 MB"), one decimal at most, a trailing ".0" dropped.
 */
export function formatBytes(bytes: number): string {
  if (bytes < KB) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  // Just under 1 MB would round to "1024 KB".
  if (bytes < MB && Math.round((bytes / KB) * 10) < 10 * KB) return `${oneDecimal(bytes / KB)} KB`;
  return `${oneDecimal(bytes / MB)} MB`;
}

/** "6 min 12 s", "5 min", "0.1 s", "42 s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${oneDecimal(seconds)} s`;
  const whole = Math.round(seconds);
  const min = Math.floor(whole / 60);
  const sec = whole % 60;
  if (min === 0) return `${sec} s`;
  return sec === 0 ? `${min} min` : `${min} min ${sec} s`;
}

function oneDecimal(value: number): string {
  return String(Math.round(value * 10) / 10);
}
