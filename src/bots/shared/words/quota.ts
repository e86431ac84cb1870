import type { QuotaView } from '../../../core/ports.js';

/**
 * "Today you have 2 of 3 videos left; this server has 9 of 10 left. The count resets at
 * midnight UTC (in about 5 h)." or null when no quota is on. Shared by the chat adapters, each
 * with its own bold markup and its word for a group.
 */
export function quotaSentence(q: QuotaView, style: { bold: (text: string) => string; group: string }, now = Date.now()): string | null {
  const parts: string[] = [];
  if (q.personLimit !== null && q.personRemaining !== null) {
    parts.push(`you have ${style.bold(String(q.personRemaining))} of ${q.personLimit} video${q.personLimit === 1 ? '' : 's'} left`);
  }
  if (q.groupLimit !== null && q.groupRemaining !== null) {
    parts.push(`this ${style.group} has ${style.bold(String(q.groupRemaining))} of ${q.groupLimit} left`);
  }
  if (parts.length === 0) return null;
  const hours = Math.max(0, Math.ceil((q.resetsAt - now) / 3600_000));
  const when = hours <= 1 ? 'within the hour' : `in about ${hours} h`;
  return `Today ${parts.join('; ')}. The count resets at midnight UTC (${when}).`;
}
