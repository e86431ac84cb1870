/**
 * The playground's opaque "where to answer": the browser that created the job.
 * Format: `playground:<browserId>`.
 */
const PREFIX = 'playground:';

/** A browser id as the playground issues it (random, URL-safe). */
export const BROWSER_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** Builds the replyTo string for a browser. */
export function formatReplyTo(browserId: string): string {
  return `${PREFIX}${browserId}`;
}

/** Returns the browser id inside a playground replyTo, or null when it is not one. */
export function parseReplyTo(replyTo: string): string | null {
  if (!replyTo.startsWith(PREFIX)) return null;
  const id = replyTo.slice(PREFIX.length);
  return BROWSER_ID_PATTERN.test(id) ? id : null;
}
