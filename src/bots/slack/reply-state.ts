/**
 * The adapter state the core stores with a Slack job: where the one progress message lives,
 * whether the video was already uploaded (so an at-least-once redelivery after a restart edits
 * the same message and never uploads twice) and whether the final answer was shown.
 */
export interface SlackReplyState {
  /** ts of the progress message in the thread. */
  ts?: string;
  /** True once the MP4 was uploaded into the thread. */
  uploaded?: boolean;
  /** True once the final answer (result or error) was shown: recorded, never read back from wording. */
  final?: boolean;
}

/** Parses stored state; anything unreadable counts as empty (a new progress message is posted). */
export function parseReplyState(value: string | null | undefined): SlackReplyState {
  if (value === null || value === undefined || value === '') return {};
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const rec = parsed as Record<string, unknown>;
    const state: SlackReplyState = {};
    if (typeof rec['ts'] === 'string') state.ts = rec['ts'];
    if (rec['uploaded'] === true) state.uploaded = true;
    if (rec['final'] === true) state.final = true;
    return state;
  } catch {
    return {};
  }
}

/** Serialises state for the core to persist. */
export function formatReplyState(state: SlackReplyState): string {
  return JSON.stringify(state);
}
