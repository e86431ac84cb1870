/**
 * The core's `ChatReply` for Discord. Answers edit the interaction's own response while its
 * token lives; afterwards (or for replies to voice notes, which have no token) one bot message
 * in the channel, replying to the original message, is posted once and then edited. Where the
 * app is installed to the person and is no member of the channel (reply state `reach`), the bot
 * token never posts there: after the token, only the final answer goes, by DM (replies/reach.ts). Progress
 * edits go through the shared throttle (the newest kept, sent when the gap has passed); the
 * final answer always goes through at once. Uses REST only, so jobs
 * resumed at start-up are answered before (or without) the gateway.
 */
import { ComponentType, DiscordAPIError, Routes, type APIMessageTopLevelComponent, type REST } from 'discord.js';
import type { Logger } from 'pino';
import type { ChatReply, ErrorUpdate, JobView, ResultUpdate } from '../../../core/ports.js';
import { createProgressThrottle } from '../../shared/progress-throttle.js';
import { lateAnswerNote, privateOnlyNote, UNDELIVERABLE_LOG } from '../../shared/words/reach.js';
import { sendMessage, type UploadFile } from '../media/multipart.js';
import { parseReplyTo } from '../reply-to.js';
import { errorAnswer, isFinalWords, progressWords, resultWords } from '../words.js';
import { sendResultCard, visibleText } from './card.js';
import { filesOf, resultParts, withoutVideo, type ResultParts } from './result-parts.js';
import { buttonRow } from './components.js';
import { sendDirect } from './direct.js';
import { isDeadToken, isShutOut, isTooLarge } from './refusals.js';
import { decodeReplyState, encodeReplyState, tokenAlive, type DiscordReplyState } from './reply-state.js';

export interface DiscordReplyOptions {
  /** How long an interaction token is used after it was issued. */
  tokenTtlMs: number;
  /** Minimum gap between two progress edits of one job. */
  progressIntervalMs: number;
}

interface Payload {
  content: string;
  components: APIMessageTopLevelComponent[];
  /** IS_COMPONENTS_V2 for the result card (content then empty). */
  flags?: number;
  /** Uploaded with the message (the video, the caption files). */
  files?: UploadFile[];
}

/** How long Discord keeps an interaction token (what the DM's note tells the person). */
const DISCORD_TOKEN_WINDOW_MS = 15 * 60_000;

/** The ChatReply, plus dropping throttled progress edits on shutdown. */
export interface DiscordReply extends ChatReply {
  dispose(): void;
}

export function createDiscordReply(options: DiscordReplyOptions, deps: { rest: REST; logger: Logger }): DiscordReply {
  const { rest, logger } = deps;
  /**
   * The newest state this process wrote per job: the JobView may lag behind it (a delayed
   * progress edit that had to post a new message returns its state to nobody).
   */
  const states = new Map<string, DiscordReplyState>();
  const throttle = createProgressThrottle({ gapMs: options.progressIntervalMs }, { logger });

  /** `note`: a line under the words (why the answer is private, or why it came by DM). */
  function body(p: Payload, note?: string): Record<string, unknown> {
    return {
      // A Components V2 card may carry no content: its note would have to be one of its displays.
      content: note === undefined || p.flags !== undefined ? p.content : `${p.content}\n-# ${note}`,
      ...(p.flags !== undefined ? { flags: p.flags, embeds: [] } : {}),
      components:
        p.flags !== undefined && note !== undefined
          ? [...p.components, { type: ComponentType.TextDisplay, content: `-# ${note}` }]
          : p.components,
      allowed_mentions: { parse: [] },
      attachments: [],
    };
  }

  function files(p: Payload): UploadFile[] {
    return p.files ?? [];
  }

  /**
   * Sends one answer. `final`: the result or an error (progress is dropped where it could only
   * go by DM: one DM with the answer, not a stream of them).
   */
  async function deliver(job: JobView, payload: Payload, final: boolean): Promise<string | void> {
    const target = parseReplyTo(job.replyTo);
    if (target === null) {
      logger.error({ jobId: job.id }, 'discord: job has an unreadable replyTo; cannot answer');
      return;
    }
    const state = states.get(job.id) ?? decodeReplyState(job.replyState);
    const before = encodeReplyState(state);
    if (tokenAlive(state, options.tokenTtlMs, Date.now()) && state.messageId === undefined && state.dmMessageId === undefined) {
      try {
        await sendMessage(
          rest,
          'patch',
          Routes.webhookMessage(state.appId as string, state.token as string, '@original'),
          body(payload, state.privateOnly === true ? privateOnlyNote() : undefined),
          files(payload),
          false,
        );
        states.set(job.id, state);
        return;
      } catch (err) {
        if (!isDeadToken(err)) throw err;
        logger.info({ jobId: job.id, reach: state.reach ?? 'channel' }, 'discord: interaction token no longer valid');
      }
    }
    // The token is gone for good: forget it so a restart does not try it again.
    delete state.token;
    delete state.appId;
    delete state.issuedAt;
    if (state.reach === 'interaction') {
      // Not a member of the channel: the bot token must never post there.
      states.set(job.id, state);
      if (final) await direct(job, state, payload);
      const after = encodeReplyState(state);
      return after !== before ? after : undefined;
    }
    if (state.messageId !== undefined) {
      try {
        await sendMessage(rest, 'patch', Routes.channelMessage(target.channelId, state.messageId), body(payload), files(payload), true);
        states.set(job.id, state);
        const after = encodeReplyState(state);
        return after !== before ? after : undefined;
      } catch (err) {
        if (!(err instanceof DiscordAPIError && err.code === 10008)) throw err;
        delete state.messageId; // deleted by someone: post a new one
      }
    }
    let posted: { id?: unknown };
    try {
      posted = (await sendMessage(
        rest,
        'post',
        Routes.channelMessages(target.channelId),
        {
          ...body(payload),
          ...(target.messageId !== undefined ? { message_reference: { message_id: target.messageId, fail_if_not_exists: false } } : {}),
        },
        files(payload),
        true,
      )) as { id?: unknown };
    } catch (err) {
      if (!isShutOut(err)) throw err;
      // The bot cannot post there (not a member, or no permission): the answer goes by DM, and
      // from now on this job is answered as a user install is.
      logger.info(
        { jobId: job.id, code: err instanceof DiscordAPIError ? err.code : undefined },
        'discord: cannot post in the channel; answering by DM',
      );
      state.reach = 'interaction';
      states.set(job.id, state);
      if (final) await direct(job, state, payload);
      return encodeReplyState(state);
    }
    if (typeof posted.id === 'string') state.messageId = posted.id;
    states.set(job.id, state);
    return encodeReplyState(state);
  }

  /**
   * The final answer by DM (reach `interaction`, token gone). A DM Discord refuses (the person
   * takes no DMs from apps) is logged and counted as delivered: the video stays in
   * /avatar-history. Only a refused upload is thrown, so the link is sent without the file.
   */
  async function direct(job: JobView, state: DiscordReplyState, payload: Payload): Promise<void> {
    try {
      const dm = await sendDirect(
        rest,
        job.requesterId,
        { channelId: state.dmChannelId, messageId: state.dmMessageId },
        body(payload, lateAnswerNote('Discord', Math.round(DISCORD_TOKEN_WINDOW_MS / 60_000))),
        files(payload),
      );
      state.dmChannelId = dm.channelId;
      state.dmMessageId = dm.messageId;
    } catch (err) {
      if (isTooLarge(err)) throw err;
      logger.warn({ jobId: job.id, err: err instanceof Error ? err.message : String(err) }, `discord: ${UNDELIVERABLE_LOG}`);
    }
  }

  /** Records that the final answer is shown; returns the state to store. */
  function markFinal(job: JobView, sent: string | void): string {
    const state = states.get(job.id) ?? decodeReplyState(typeof sent === 'string' ? sent : job.replyState);
    state.final = true;
    states.set(job.id, state);
    return encodeReplyState(state);
  }

  /** A final answer: through the throttle (never delayed); the cached state goes once it is sent. */
  async function final(job: JobView, send: () => Promise<string | void>): Promise<string | void> {
    const answer = await throttle.final(job.id, send);
    states.delete(job.id);
    return answer;
  }

  return {
    progress(job, update) {
      return throttle.progress(job.id, () =>
        deliver(job, { content: progressWords(update), components: [buttonRow('cancel', job.id)] }, false),
      );
    },

    result(job, result: ResultUpdate) {
      return final(job, async () => {
        const state = states.get(job.id) ?? decodeReplyState(job.replyState);
        let parts = resultParts(result, state.sizeLimit, job.id);
        const plain = (p: ResultParts): Payload => ({
          content: resultWords(result, { ...p, spokenText: job.spokenText }),
          components: [],
          files: filesOf(p),
        });
        const { video } = parts;
        if (video !== undefined) {
          const card = await sendResultCard({ job, result, parts: { ...parts, video }, logger }, (p) => deliver(job, p, true));
          if ('sent' in card) return markFinal(job, card.sent);
          // The card was refused: today's plain answer, with the files unless the video was too large.
          if (card.fallback === 'plain') {
            try {
              return markFinal(job, await deliver(job, plain(parts), true));
            } catch (err) {
              if (!isTooLarge(err)) throw err;
              logger.info({ jobId: job.id }, 'discord: upload refused as too large; sending the link only');
            }
          }
          parts = withoutVideo(parts, result.preview);
        }
        return markFinal(job, await deliver(job, plain(parts), true));
      });
    },

    error(job, error: ErrorUpdate) {
      return final(job, async () => markFinal(job, await deliver(job, errorAnswer(job, error), true)));
    },

    async answered(job) {
      // Recorded as shown: nothing to look at. Otherwise (the attempt that showed it may have
      // died before its state was stored) look where the answer would be: the interaction's own
      // message while its token lives, else the bot's message (or the DM). Discord keeps no invisible mark
      // on a message, so the final answer is told by its leading emoji there. Unknown (an error
      // reading it): false, and the answer is sent again.
      const state = states.get(job.id) ?? decodeReplyState(job.replyState);
      if (state.final === true) return true;
      const target = parseReplyTo(job.replyTo);
      try {
        let message: unknown;
        if (state.dmChannelId !== undefined && state.dmMessageId !== undefined) {
          message = await rest.get(Routes.channelMessage(state.dmChannelId, state.dmMessageId));
        } else if (tokenAlive(state, options.tokenTtlMs, Date.now()) && state.messageId === undefined) {
          message = await rest.get(Routes.webhookMessage(state.appId as string, state.token as string, '@original'));
        } else if (state.messageId !== undefined && target !== null) {
          message = await rest.get(Routes.channelMessage(target.channelId, state.messageId));
        } else {
          return false;
        }
        return isFinalWords(visibleText(message));
      } catch (err) {
        logger.info(
          { jobId: job.id, err: err instanceof Error ? err.message : String(err) },
          'discord: could not read the earlier answer; sending it again',
        );
        return false;
      }
    },

    dispose() {
      throttle.dispose();
    },
  };
}
