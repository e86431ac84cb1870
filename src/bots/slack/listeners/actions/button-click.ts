/** Shared reading of a `block_actions` payload for the job buttons (Cancel, Retry). */
import { field, text } from '../../../shared/json.js';

export interface ButtonClick {
  jobId: string;
  user: string;
  channel: string;
  /** ts of the message carrying the button (the job's progress message). */
  messageTs: string | undefined;
}

/** Narrows a button click; null when the job id, user or channel is missing. */
export function readButtonClick(body: unknown, action: unknown): ButtonClick | null {
  const jobId = text(field(action, 'value'));
  const user = text(field(field(body, 'user'), 'id'));
  const channel = text(field(field(body, 'channel'), 'id')) ?? text(field(field(body, 'container'), 'channel_id'));
  if (jobId === undefined || user === undefined || channel === undefined) return null;
  return {
    jobId,
    user,
    channel,
    messageTs: text(field(field(body, 'message'), 'ts')) ?? text(field(field(body, 'container'), 'message_ts')),
  };
}
