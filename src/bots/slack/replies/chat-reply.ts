/**
 * The core's `ChatReply` for Slack: one progress message per job in the job's thread, edited
 * with `chat.update` (through the shared throttle: the newest update kept and sent when the gap
 * has passed; final answers always sent at once), the result as a card (result-card.ts) plus the
 * handed-over MP4 (when it fits `uploadMaxBytes`) and the caption files uploaded into the thread
 * (upload.ts; every file id kept for Delete). Every
 * method is safe to call again after a restart: it edits the stored message and never uploads
 * twice. After a final answer, `onFinal` (the person's Home tab) runs detached.
 * In OAuth mode (`tokens` given) every call carries the bot token of the job's workspace, read
 * from the installation store through the team (or org) in the job's replyTo.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { ChatReply, ErrorUpdate, HandoverNote, JobView, ProgressUpdate, ResultUpdate } from '../../../core/ports.js';
import { createProgressThrottle } from '../../shared/progress-throttle.js';
import { errorMessage, isFinalMessage, progressMessage, type SlackMessage } from '../messages.js';
import { parseReplyTo, type SlackReplyTo } from '../reply-to.js';
import type { WorkspaceTokens } from '../workspace-tokens.js';
import { decodeReplyState, encodeReplyState, type SlackReplyState } from './reply-state.js';
import { resultMessage } from './result-card.js';
import { filesToUpload, uploadIntoThread } from './upload.js';

export interface SlackChatReplyConfig {
  uploadMaxBytes: number;
  /** Minimum gap between two progress edits of one job. */
  throttleMs?: number;
}

export interface SlackChatReplyDeps {
  client: webApi.WebClient;
  logger: Logger;
  now?: () => number;
  /** OAuth mode: the token per workspace (the client has none). Absent: the client's own token. */
  tokens?: WorkspaceTokens;
  /**
   * Called once a job's final answer is shown (e.g. to refresh the person's App Home), with the
   * token of the job's workspace. Not awaited; its failure is its own to log.
   */
  onFinal?: (job: JobView, auth: { token?: string }) => Promise<void>;
}

export interface SlackChatReply extends ChatReply {
  /** Drops pending throttled edits (on shutdown). */
  dispose(): void;
}

/** Where to answer and with which token (`{}`: the client's own). */
interface Target {
  to: SlackReplyTo;
  auth: { token?: string };
}

/** Slack's answers meaning "this token is no longer good" (uninstalled, revoked, deactivated). */
const DEAD_TOKEN = new Set(['invalid_auth', 'token_revoked', 'account_inactive', 'not_authed', 'token_expired']);

/** Creates the Slack ChatReply. */
export function createSlackChatReply(config: SlackChatReplyConfig, deps: SlackChatReplyDeps): SlackChatReply {
  const { client, logger } = deps;
  const throttle = createProgressThrottle(
    { gapMs: config.throttleMs ?? 2000, ...(deps.now === undefined ? {} : { now: deps.now }) },
    { logger },
  );

  /**
   * Where and how to answer; null when there is nowhere to answer (unreadable replyTo, or the
   * workspace has no installation any more: nothing could ever deliver it). Store failures throw,
   * so the core retries the delivery later.
   */
  async function target(job: JobView): Promise<Target | null> {
    const to = parseReplyTo(job.replyTo);
    if (to === null) {
      logger.error({ jobId: job.id }, 'slack job with an unreadable replyTo');
      return null;
    }
    if (deps.tokens === undefined) return { to, auth: {} };
    const token = await deps.tokens.botToken(to);
    if (token === null) {
      logger.warn({ jobId: job.id, team: to.team, enterprise: to.enterprise }, 'slack workspace not installed: answer dropped');
      return null;
    }
    return { to, auth: { token } };
  }

  /** Forgets a cached token Slack refused, so the next attempt reads the store again. */
  function checkDeadToken(t: Target, err: unknown): void {
    const code = (err as { data?: { error?: unknown } } | null)?.data?.error;
    if (deps.tokens !== undefined && typeof code === 'string' && DEAD_TOKEN.has(code)) deps.tokens.forget(t.to);
  }

  /** Edits the progress message, or posts it when there is none yet; returns the state to keep. */
  async function show(t: Target, state: SlackReplyState, msg: SlackMessage): Promise<SlackReplyState> {
    const { to, auth } = t;
    if (state.ts !== undefined) {
      try {
        await client.chat.update({ ...auth, channel: to.channel, ts: state.ts, text: msg.text, blocks: msg.blocks as never });
        return state;
      } catch (err) {
        checkDeadToken(t, err);
        // The message may have been deleted: fall through and post a new one.
        logger.warn({ err: errText(err) }, 'slack chat.update failed; posting a new message');
      }
    }
    try {
      const res = await client.chat.postMessage({
        ...auth,
        channel: to.channel,
        thread_ts: to.threadTs,
        text: msg.text,
        blocks: msg.blocks as never,
      });
      return typeof res.ts === 'string' ? { ...state, ts: res.ts } : state;
    } catch (err) {
      checkDeadToken(t, err);
      throw err;
    }
  }

  function changed(before: SlackReplyState, after: SlackReplyState): string | void {
    const keys: Array<keyof SlackReplyState> = ['ts', 'uploaded', 'videoUploaded', 'final', 'fileIds'];
    if (keys.some((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))) return encodeReplyState(after);
  }

  /** After a final answer: the hook, detached, so nothing it does can hold up or break the answer. */
  function finalShown(job: JobView, t: Target): void {
    if (deps.onFinal === undefined) return;
    deps.onFinal(job, t.auth).catch((err: unknown) => {
      logger.warn({ jobId: job.id, err: errText(err) }, 'slack: after-answer hook failed');
    });
  }

  async function sendProgress(job: JobView, update: ProgressUpdate): Promise<string | void> {
    const t = await target(job);
    if (t === null) return;
    const state = decodeReplyState(job.replyState);
    const next = await show(t, state, progressMessage(job, update));
    return changed(state, next);
  }

  /**
   * Uploads the handed-over MP4 (when it fits) and the caption files into the thread; returns
   * the state to show with. A failed upload is logged and the card gives the link (the upload is
   * tried again on a redelivery).
   */
  async function upload(t: Target, job: JobView, result: ResultUpdate, state: SlackReplyState): Promise<SlackReplyState> {
    if (config.uploadMaxBytes <= 0) return state;
    const planned = filesToUpload(job.id, result, config.uploadMaxBytes);
    if (planned.note !== undefined) logger.info({ jobId: job.id }, 'video over SLACK_UPLOAD_MAX_MB: link only');
    if (planned.files.length === 0) return state;
    try {
      const fileIds = await uploadIntoThread(client, t.auth, t.to, planned.files);
      // Kept so Delete can remove every upload too.
      return { ...state, uploaded: true, videoUploaded: planned.video, ...(fileIds.length > 0 ? { fileIds } : {}) };
    } catch (err) {
      checkDeadToken(t, err);
      logger.warn({ jobId: job.id, err: errText(err) }, 'slack upload failed: link only');
      return state;
    }
  }

  /** The core's notes, plus the video over SLACK_UPLOAD_MAX_MB (the same on a redelivery). */
  function notesOf(job: JobView, result: ResultUpdate): HandoverNote[] {
    const tooBig = config.uploadMaxBytes > 0 ? filesToUpload(job.id, result, config.uploadMaxBytes).note : undefined;
    return [...(result.notes ?? []), ...(tooBig === undefined ? [] : [tooBig])];
  }

  return {
    progress(job, update) {
      // No message yet (the starting message could not be posted): post one at once.
      const noMessage = decodeReplyState(job.replyState).ts === undefined;
      return throttle.progress(job.id, () => sendProgress(job, update), noMessage);
    },

    result(job, result) {
      return throttle.final(job.id, async () => {
        const t = await target(job);
        if (t === null) return;
        const state = decodeReplyState(job.replyState);
        const shown = state.uploaded === true ? state : await upload(t, job, result, state);
        const notes = notesOf(job, result);
        const attached = { video: shown.videoUploaded === true, captions: shown.uploaded === true && result.captions !== undefined };
        const next = await show(t, shown, resultMessage(job, { ...result, notes }, attached));
        finalShown(job, t);
        return changed(state, { ...next, final: true });
      });
    },

    error(job, error: ErrorUpdate) {
      return throttle.final(job.id, async () => {
        const t = await target(job);
        if (t === null) return;
        const state = decodeReplyState(job.replyState);
        const next = await show(t, state, errorMessage(job, error));
        finalShown(job, t);
        return changed(state, { ...next, final: true });
      });
    },
    async answered(job) {
      // Recorded as shown: nothing to look at. Otherwise (the attempt that showed it may have
      // died before its state was stored) the answer is an edit of the job's one message (its
      // upload comes first): read that message. Unknown (no message yet, an error): false, and
      // the answer is sent again.
      const state = decodeReplyState(job.replyState);
      if (state.final === true) return true;
      if (state.ts === undefined) return false;
      const t = await target(job);
      if (t === null) return false;
      try {
        const res = await client.conversations.replies({
          ...t.auth,
          channel: t.to.channel,
          ts: t.to.threadTs,
          latest: state.ts,
          inclusive: true,
          limit: 200,
        });
        const mine = (res.messages ?? []).find((m) => m.ts === state.ts);
        return mine !== undefined && isFinalMessage(mine);
      } catch (err) {
        checkDeadToken(t, err);
        logger.info({ jobId: job.id, err: errText(err) }, 'slack: could not read the earlier answer; sending it again');
        return false;
      }
    },

    dispose() {
      throttle.dispose();
    },
  };
}

/** An error's message without stack or request config (WebClient errors can carry headers). */
export function errText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
