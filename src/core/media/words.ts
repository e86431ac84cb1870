/** Formatting of sizes and durations for messages people read. */

/** "1.5 MB", "800 KB", "12 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  if (bytes < 1_000_000) return `${trim(bytes / 1000)} KB`;
  return `${trim(bytes / 1_000_000)} MB`;
}

/** "6 min 12 s", "5 min", "0.1 s", "42 s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${trim(seconds)} s`;
  const whole = Math.round(seconds);
  const min = Math.floor(whole / 60);
  const sec = whole % 60;
  if (min === 0) return `${sec} s`;
  return sec === 0 ? `${min} min` : `${min} min ${sec} s`;
}

function trim(value: number): string {
  return String(Math.round(value * 10) / 10);
}
