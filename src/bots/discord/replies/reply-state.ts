/**
 * The adapter's per-job state, stored by the core as an opaque string (`replyState`) so that
 * answers survive a restart: the interaction token while it lives, the bot message we post
 * once it has died (or when there never was one: replies to a voice note), and whether the
 * final answer was shown.
 */
import { createReplyStateCodec } from '../../shared/reply-state-codec.js';

/** Discord's upload limit when the interaction does not say (10 MiB). */
export const DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024;

export interface DiscordReplyState {
  v: 1;
  /** Interaction token and its application: answers edit `@original` while the token lives. */
  token?: string;
  appId?: string;
  /** When the token was issued (ms epoch). */
  issuedAt?: number;
  /** Upload limit in bytes for the result video. */
  sizeLimit: number;
  /** A message we posted with the bot token (progress, then result), edited in place. */
  messageId?: string;
  /** True once the final answer (result or error) was shown: recorded, never read back from wording. */
  final?: boolean;
  /**
   * `interaction`: the app is installed to the person and is no member of the channel, so it
   * answers only through the interaction, and by a DM once the token is gone. Absent: the bot
   * may post in the channel with its own token.
   */
  reach?: 'interaction';
  /** Discord shows the answers to the person alone here (a server turned external apps off). */
  privateOnly?: boolean;
  /** The DM that carried the final answer after the token expired (reach `interaction`). */
  dmChannelId?: string;
  dmMessageId?: string;
}

const codec = createReplyStateCodec<DiscordReplyState>({
  version: 1,
  empty: () => ({ v: 1, sizeLimit: DEFAULT_UPLOAD_LIMIT }),
  read(raw) {
    const state: DiscordReplyState = {
      v: 1,
      sizeLimit: typeof raw['sizeLimit'] === 'number' && raw['sizeLimit'] > 0 ? raw['sizeLimit'] : DEFAULT_UPLOAD_LIMIT,
    };
    // A token without its issue time is not trusted: its window could not be checked.
    if (typeof raw['token'] === 'string' && typeof raw['appId'] === 'string' && typeof raw['issuedAt'] === 'number') {
      state.token = raw['token'];
      state.appId = raw['appId'];
      state.issuedAt = raw['issuedAt'];
    }
    if (typeof raw['messageId'] === 'string') state.messageId = raw['messageId'];
    if (raw['final'] === true) state.final = true;
    if (raw['reach'] === 'interaction') state.reach = 'interaction';
    if (raw['privateOnly'] === true) state.privateOnly = true;
    if (typeof raw['dmChannelId'] === 'string') state.dmChannelId = raw['dmChannelId'];
    if (typeof raw['dmMessageId'] === 'string') state.dmMessageId = raw['dmMessageId'];
    return state;
  },
});

/** Serialises a state for the core to store. */
export const encodeReplyState = codec.encode;

/** Reads a stored state; anything unreadable yields a state with no token (bot-token answers). */
export const decodeReplyState = codec.decode;

/** True while the interaction token may still be used (its window is `ttlMs` from issue). */
export function tokenAlive(state: DiscordReplyState, ttlMs: number, now: number): boolean {
  return state.token !== undefined && state.issuedAt !== undefined && now - state.issuedAt < ttlMs;
}
