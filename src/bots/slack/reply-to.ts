/**
 * `replyTo` for Slack jobs: `slack:<team>:<channel>:<thread_ts>`, plus `:<enterprise>` when the
 * app answers through an org-wide (Enterprise Grid) install, whose token is stored under the
 * organisation rather than the workspace. The thread ts is always the thread's parent ts (never
 * a reply's), so every answer lands in the same thread.
 */
export interface SlackReplyTo {
  team: string;
  channel: string;
  threadTs: string;
  /** Enterprise id of an org-wide install (absent for ordinary workspace installs). */
  enterprise?: string;
}

/** Formats a Slack reply address. Ids and ts never contain ':' so no escaping is needed. */
export function formatReplyTo(to: SlackReplyTo): string {
  const parts = [to.team, to.channel, to.threadTs];
  if (to.enterprise !== undefined && to.enterprise !== '') parts.push(to.enterprise);
  for (const part of parts) {
    if (part.includes(':')) throw new Error('Slack ids must not contain ":"');
  }
  return `slack:${parts.join(':')}`;
}

/** Parses a Slack reply address; null when it is not one (e.g. another platform's). */
export function parseReplyTo(value: string): SlackReplyTo | null {
  const parts = value.split(':');
  if ((parts.length !== 4 && parts.length !== 5) || parts[0] !== 'slack') return null;
  const [, team, channel, threadTs, enterprise] = parts as [string, string, string, string, string | undefined];
  // The team may be empty (Enterprise Grid org-wide events); channel and ts may not.
  if (channel === '' || !/^\d+\.\d+$/.test(threadTs)) return null;
  if (enterprise === '') return null;
  return enterprise === undefined ? { team, channel, threadTs } : { team, channel, threadTs, enterprise };
}
