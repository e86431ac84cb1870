/**
 * The core's `ChatReply` for Discord. Answers edit the interaction's own response while its
 * token lives; afterwards (or for replies to voice notes, which have no token) one bot message
 * in the channel, replying to the original message, is posted once and then edited. Progress
 * edits are throttled per job; the final answer always goes through. Uses REST only, so jobs
 * resumed at start-up are answered before (or without) the gateway.
 */
import { DiscordAPIError, Routes, type APIActionRowComponent, type APIButtonComponent, type REST } from 'discord.js';
import type { Logger } from 'pino';
import type { ChatReply, ErrorUpdate, JobView, ProgressUpdate, ResultUpdate } from '../../core/ports.js';
import { buttonRow } from './components.js';
import { ANY_HTTP, DownloadError, fetchCapped } from './download.js';
import { sendMessage, type UploadFile } from './multipart.js';
import { decodeReplyState, encodeReplyState, tokenAlive, type DiscordReplyState } from './reply-state.js';
import { parseReplyTo } from './reply-to.js';
import { errorWords, isFinalWords, progressWords, resultWords, RETRYABLE } from './words.js';

export interface DiscordReplyOptions {
  /** How long an interaction token is used after it was issued. */
  tokenTtlMs: number;
  /** Minimum gap between two progress edits of one job in the same state. */
  progressIntervalMs: number;
}

interface Payload {
  content: string;
  components: APIActionRowComponent<APIButtonComponent>[];
  file?: { name: string; data: Uint8Array };
}

/** Discord error codes meaning "this interaction token can no longer be used". */
const DEAD_TOKEN_CODES = new Set<number | string>([50027, 10015, 10062, 10008]);
/** "Request entity too large": the upload did not fit after all. */
const TOO_LARGE_CODE = 40005;

function isDeadToken(err: unknown): boolean {
  return err instanceof DiscordAPIError && (DEAD_TOKEN_CODES.has(err.code) || err.status === 401);
}

/** The ChatReply plus what the handlers need to keep it consistent. */
export interface DiscordReply extends ChatReply {
  /** Forgets cached state of a job (tests, and jobs that ended outside the core). */
  forget(jobId: string): void;
}

export function createDiscordReply(options: DiscordReplyOptions, deps: { rest: REST; logger: Logger }): DiscordReply {
  const { rest, logger } = deps;
  /** The newest state this process wrote per job (the JobView may lag behind it). */
  const states = new Map<string, DiscordReplyState>();
  const lastProgress = new Map<string, { at: number; state: ProgressUpdate['state'] }>();
  const finished = new Set<string>();
  /** One send at a time per job, so a slow progress edit cannot overwrite the result. */
  const chains = new Map<string, Promise<unknown>>();

  function serial<T>(jobId: string, task: () => Promise<T>): Promise<T> {
    const prev = chains.get(jobId) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(task);
    chains.set(jobId, next);
    void next.finally(() => {
      if (chains.get(jobId) === next) chains.delete(jobId);
    }).catch(() => undefined);
    return next;
  }

  function body(p: Payload): Record<string, unknown> {
    return {
      content: p.content,
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
        ...(target.messageId !== undefined
          ? { message_reference: { message_id: target.messageId, fail_if_not_exists: false } }
          : {}),
      },
      files(payload),
      true,
    )) as { id?: unknown };
    if (typeof posted.id === 'string') state.messageId = posted.id;
    states.set(job.id, state);
    return encodeReplyState(state);
  }

  function finish(jobId: string): void {
    finished.add(jobId);
    lastProgress.delete(jobId);
    // Late progress calls for this job are dropped for a while, then the memory is freed.
    setTimeout(() => {
      finished.delete(jobId);
      states.delete(jobId);
    }, 10 * 60_000).unref();
  }

  return {
    progress(job, update) {
      if (finished.has(job.id)) return Promise.resolve();
      const last = lastProgress.get(job.id);
      const now = Date.now();
      if (last !== undefined && last.state === update.state && now - last.at < options.progressIntervalMs) {
        return Promise.resolve();
      }
      lastProgress.set(job.id, { at: now, state: update.state });
      return serial(job.id, () => {
        if (finished.has(job.id)) return Promise.resolve();
        return deliver(job, { content: progressWords(update), components: [buttonRow('cancel', job.id)] });
      });
    },

    result(job, result: ResultUpdate) {
      finish(job.id);
      return serial(job.id, async () => {
        const state = states.get(job.id) ?? decodeReplyState(job.replyState);
        let video: Uint8Array | undefined;
        try {
          video = await fetchCapped(result.fileUrl, { maxBytes: state.sizeLimit, policy: ANY_HTTP });
        } catch (err) {
          const level = err instanceof DownloadError && err.failure === 'too_large' ? 'info' : 'warn';
          logger[level]({ jobId: job.id, err: err instanceof Error ? err.message : String(err) }, 'discord: sending the video link only');
        }
        if (video !== undefined) {
          try {
            return await deliver(job, {
              content: resultWords(result, true),
              components: [],
              file: { name: `talking-avatar-${job.id}.mp4`, data: video },
            });
          } catch (err) {
            if (!(err instanceof DiscordAPIError && (err.code === TOO_LARGE_CODE || err.status === 413))) throw err;
            logger.info({ jobId: job.id }, 'discord: upload refused as too large; sending the link only');
          }
        }
        return deliver(job, { content: resultWords(result, false), components: [] });
      });
    },

    error(job, error: ErrorUpdate) {
      finish(job.id);
      return serial(job.id, () =>
        deliver(job, {
          content: `⚠️ ${errorWords(error)}`,
          components: RETRYABLE.has(error.code) ? [buttonRow('retry', job.id)] : [],
        }),
      );
    },

    async answered(job) {
      // Where the answer would be: the interaction's own message while its token lives, else
      // the bot's message. Unknown (an error reading it): false, and the answer is sent again.
      const state = states.get(job.id) ?? decodeReplyState(job.replyState);
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
        const content = (message as { content?: unknown } | null)?.content;
        return typeof content === 'string' && isFinalWords(content);
      } catch (err) {
        logger.info({ jobId: job.id, err: err instanceof Error ? err.message : String(err) }, 'discord: could not read the earlier answer; sending it again');
        return false;
      }
    },

        forget(jobId) {
      states.delete(jobId);
      lastProgress.delete(jobId);
      finished.delete(jobId);
    },
  };
}
