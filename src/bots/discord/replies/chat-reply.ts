/**
 * The core's `ChatReply` for Discord. Answers edit the interaction's own response while its
 * token lives; afterwards (or for replies to voice notes, which have no token) one bot message
 * in the channel, replying to the original message, is posted once and then edited. Progress
 * edits go through the shared throttle (the newest kept, sent when the gap has passed); the
 * final answer always goes through at once. Uses REST only, so jobs
 * resumed at start-up are answered before (or without) the gateway.
 */
import { DiscordAPIError, Routes, type APIMessageTopLevelComponent, type REST } from 'discord.js';
import type { Logger } from 'pino';
import type { ChatReply, ErrorUpdate, JobView, ResultUpdate } from '../../../core/ports.js';
import { ANY_HTTP, downloadCapped, DownloadError } from '../../shared/download.js';
import { createProgressThrottle } from '../../shared/progress-throttle.js';
import { sendMessage, type UploadFile } from '../media/multipart.js';
import { parseReplyTo } from '../reply-to.js';
import { errorAnswer, isFinalWords, progressWords, resultWords } from '../words.js';
import { isUploadTooLarge, sendResultCard, visibleText } from './card.js';
import { buttonRow } from './components.js';
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
  file?: { name: string; data: Uint8Array };
}

/** Discord error codes meaning "this interaction token can no longer be used". */
const DEAD_TOKEN_CODES = new Set<number | string>([50027, 10015, 10062, 10008]);

function isDeadToken(err: unknown): boolean {
  return err instanceof DiscordAPIError && (DEAD_TOKEN_CODES.has(err.code) || err.status === 401);
}

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

  function body(p: Payload): Record<string, unknown> {
    return {
      content: p.content,
      ...(p.flags !== undefined ? { flags: p.flags, embeds: [] } : {}),
      components: p.components,
      allowed_mentions: { parse: [] },
      attachments: [],
    };
  }

  function files(p: Payload): UploadFile[] {
    return p.file !== undefined ? [{ name: p.file.name, data: p.file.data, contentType: 'video/mp4' }] : [];
  }

  async function deliver(job: JobView, payload: Payload): Promise<string | void> {
    const target = parseReplyTo(job.replyTo);
    if (target === null) {
      logger.error({ jobId: job.id }, 'discord: job has an unreadable replyTo; cannot answer');
      return;
    }
    const state = states.get(job.id) ?? decodeReplyState(job.replyState);
    const before = encodeReplyState(state);
    if (tokenAlive(state, options.tokenTtlMs, Date.now()) && state.messageId === undefined) {
      try {
        await sendMessage(
          rest,
          'patch',
          Routes.webhookMessage(state.appId as string, state.token as string, '@original'),
          body(payload),
          files(payload),
          false,
        );
        states.set(job.id, state);
        return;
      } catch (err) {
        if (!isDeadToken(err)) throw err;
        logger.info({ jobId: job.id }, 'discord: interaction token no longer valid; answering with the bot token');
      }
    }
    // The token is gone for good: forget it so a restart does not try it again.
    delete state.token;
    delete state.appId;
    delete state.issuedAt;
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
    const posted = (await sendMessage(
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
    if (typeof posted.id === 'string') state.messageId = posted.id;
    states.set(job.id, state);
    return encodeReplyState(state);
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
      return throttle.progress(job.id, () => deliver(job, { content: progressWords(update), components: [buttonRow('cancel', job.id)] }));
    },

    result(job, result: ResultUpdate) {
      return final(job, async () => {
        const state = states.get(job.id) ?? decodeReplyState(job.replyState);
        let video: Uint8Array | undefined;
        try {
          video = (await downloadCapped(result.fileUrl, { maxBytes: state.sizeLimit, policy: ANY_HTTP })).bytes;
        } catch (err) {
          const level = err instanceof DownloadError && err.failure === 'too_large' ? 'info' : 'warn';
          logger[level]({ jobId: job.id, err: err instanceof Error ? err.message : String(err) }, 'discord: sending the video link only');
        }
        if (video !== undefined) {
          const file = { name: `talking-avatar-${job.id}.mp4`, data: video };
          const card = await sendResultCard({ job, result, file, logger }, (p) => deliver(job, p));
          if ('sent' in card) return markFinal(job, card.sent);
          // The card was refused: today's plain answer, with the file unless the file was too large.
          if (card.fallback === 'plain') {
            try {
              return markFinal(job, await deliver(job, { content: resultWords(result, true), components: [], file }));
            } catch (err) {
              if (!isUploadTooLarge(err)) throw err;
              logger.info({ jobId: job.id }, 'discord: upload refused as too large; sending the link only');
            }
          }
        }
        return markFinal(job, await deliver(job, { content: resultWords(result, false), components: [] }));
      });
    },

    error(job, error: ErrorUpdate) {
      return final(job, async () => markFinal(job, await deliver(job, errorAnswer(job, error))));
    },

    async answered(job) {
      // Recorded as shown: nothing to look at. Otherwise (the attempt that showed it may have
      // died before its state was stored) look where the answer would be: the interaction's own
      // message while its token lives, else the bot's message. Discord keeps no invisible mark
      // on a message, so the final answer is told by its leading emoji there. Unknown (an error
      // reading it): false, and the answer is sent again.
      const state = states.get(job.id) ?? decodeReplyState(job.replyState);
      if (state.final === true) return true;
      const target = parseReplyTo(job.replyTo);
      try {
        let message: unknown;
        if (tokenAlive(state, options.tokenTtlMs, Date.now()) && state.messageId === undefined) {
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
