/**
 * `replyTo` for Slack jobs: `slack:<team>:<channel>:<thread_ts>`. The thread ts is always the
 * thread's parent ts (never a reply's), so every answer lands in the same thread.
 */
export interface SlackReplyTo {
  team: string;
  channel: string;
  threadTs: string;
}

/** Formats a Slack reply address. Ids and ts never contain ':' so no escaping is needed. */
export function formatReplyTo(to: SlackReplyTo): string {
  for (const part of [to.team, to.channel, to.threadTs]) {
    if (part.includes(':')) throw new Error('Slack ids must not contain ":"');
  }
  return `slack:${to.team}:${to.channel}:${to.threadTs}`;
}

/** Parses a Slack reply address; null when it is not one (e.g. another platform's). */
export function parseReplyTo(value: string): SlackReplyTo | null {
  const parts = value.split(':');
  if (parts.length !== 4 || parts[0] !== 'slack') return null;
  const [, team, channel, threadTs] = parts as [string, string, string, string];
  // The team may be empty (Enterprise Grid org-wide events); channel and ts may not.
  if (channel === '' || !/^\d+\.\d+$/.test(threadTs)) return null;
  return { team, channel, threadTs };
}
