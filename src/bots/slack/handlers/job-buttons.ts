/**
 * Shared reading of a `block_actions` payload for the job buttons (Cancel, Retry).
 */
export interface ButtonClick {
  jobId: string;
  user: string;
  channel: string;
  /** ts of the message carrying the button (the job's progress message). */
  messageTs: string | undefined;
}

function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>)[key] : undefined;
}

function s(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Narrows a button click; null when the job id, user or channel is missing. */
export function readButtonClick(body: unknown, action: unknown): ButtonClick | null {
  const jobId = s(field(action, 'value'));
  const user = s(field(field(body, 'user'), 'id'));
  const channel = s(field(field(body, 'channel'), 'id')) ?? s(field(field(body, 'container'), 'channel_id'));
  if (jobId === undefined || user === undefined || channel === undefined) return null;
  return {
    jobId,
    user,
    channel,
    messageTs: s(field(field(body, 'message'), 'ts')) ?? s(field(field(body, 'container'), 'message_ts')),
  };
}
