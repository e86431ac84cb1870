/**
 * The adapter state the core stores with a Slack job: where the one progress message lives,
 * whether the files were already uploaded (so an at-least-once redelivery after a restart edits
 * the same message and never uploads twice) and whether the final answer was shown; and what
 * Delete must remove: every uploaded file's id (the video and its caption files) and, for
 * `/avatar say`, the thread's parent the bot posted (it quotes the text).
 */
import { createReplyStateCodec } from '../../shared/reply-state-codec.js';

export interface SlackReplyState {
  /** ts of the progress message in the thread. */
  ts?: string;
  /** True once the upload step ran (the video and/or the caption files went into the thread). */
  uploaded?: boolean;
  /** True when the MP4 is among the uploads (the card then says it is attached). */
  videoUploaded?: boolean;
  /** True once the final answer (result or error) was shown: recorded, never read back from wording. */
  final?: boolean;
  /** Ids of every uploaded file (files.delete on Delete). */
  fileIds?: string[];
  /** ts of the thread's parent when the bot posted it (`/avatar say`): Delete removes it too. */
  parentTs?: string;
}

const codec = createReplyStateCodec<SlackReplyState>({
  version: 1,
  empty: () => ({}),
  read(raw) {
    const state: SlackReplyState = {};
    if (typeof raw['ts'] === 'string') state.ts = raw['ts'];
    if (raw['uploaded'] === true) {
      state.uploaded = true;
      // Written before caption files existed: the one upload was the video.
      state.videoUploaded = raw['videoUploaded'] === undefined ? true : raw['videoUploaded'] === true;
    }
    if (raw['final'] === true) state.final = true;
    const ids = Array.isArray(raw['fileIds']) ? raw['fileIds'].filter((id): id is string => typeof id === 'string') : [];
    // `fileId`: the one id an earlier version kept.
    if (typeof raw['fileId'] === 'string' && !ids.includes(raw['fileId'])) ids.unshift(raw['fileId']);
    if (ids.length > 0) state.fileIds = ids;
    if (typeof raw['parentTs'] === 'string') state.parentTs = raw['parentTs'];
    return state;
  },
});

/** Parses stored state; anything unreadable counts as empty (a new progress message is posted). */
export const decodeReplyState = codec.decode;

/** Serialises state for the core to persist. */
export const encodeReplyState = codec.encode;
