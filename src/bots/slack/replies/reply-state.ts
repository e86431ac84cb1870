/**
 * The adapter state the core stores with a Slack job: where the one progress message lives,
 * whether the video was already uploaded (so an at-least-once redelivery after a restart edits
 * the same message and never uploads twice) and whether the final answer was shown; and what
 * Delete must remove: the uploaded file's id and, for `/avatar say`, the thread's parent the bot
 * posted (it quotes the text).
 */
import { createReplyStateCodec } from '../../shared/reply-state-codec.js';

export interface SlackReplyState {
  /** ts of the progress message in the thread. */
  ts?: string;
  /** True once the MP4 was uploaded into the thread. */
  uploaded?: boolean;
  /** True once the final answer (result or error) was shown: recorded, never read back from wording. */
  final?: boolean;
  /** Id of the uploaded MP4 (files.delete on Delete). */
  fileId?: string;
  /** ts of the thread's parent when the bot posted it (`/avatar say`): Delete removes it too. */
  parentTs?: string;
}

const codec = createReplyStateCodec<SlackReplyState>({
  version: 1,
  empty: () => ({}),
  read(raw) {
    const state: SlackReplyState = {};
    if (typeof raw['ts'] === 'string') state.ts = raw['ts'];
    if (raw['uploaded'] === true) state.uploaded = true;
    if (raw['final'] === true) state.final = true;
    if (typeof raw['fileId'] === 'string') state.fileId = raw['fileId'];
    if (typeof raw['parentTs'] === 'string') state.parentTs = raw['parentTs'];
    return state;
  },
});

/** Parses stored state; anything unreadable counts as empty (a new progress message is posted). */
export const decodeReplyState = codec.decode;

/** Serialises state for the core to persist. */
export const encodeReplyState = codec.encode;
