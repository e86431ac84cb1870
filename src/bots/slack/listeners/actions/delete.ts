/**
 * Delete on a job's final answer (the requester's only; anyone else is told privately): removes
 * what the bot posted for the job (the uploaded MP4 and caption files, the answer message, and the thread's parent
 * when the bot posted it for `/avatar say`), then asks the core to discard the job (files, link
 * and text gone; the row stays for the quotas), confirms privately, and refreshes the person's
 * Home tab. Something already gone counts as deleted. When a removal fails for another reason
 * the job is left as it was, so pressing Delete again finishes the work.
 */
import { toAvatarError } from '../../../../core/errors.js';
import type { JobView } from '../../../../core/ports.js';
import { deletedSentence, deleteFailedSentence } from '../../../shared/words/result-card.js';
import { PLATFORM, tellPrivately, type SlackContext } from '../../context.js';
import { errorWords } from '../../messages.js';
import { decodeReplyState } from '../../replies/reply-state.js';
import { parseReplyTo } from '../../reply-to.js';
import type { ButtonClick } from './button-click.js';

/** Slack's answers meaning the thing is already gone (or never was): nothing left to delete. */
const GONE = new Set(['message_not_found', 'file_not_found', 'file_deleted', 'channel_not_found']);

function goneOrThrow(err: unknown): void {
  const code = (err as { data?: { error?: unknown } } | null)?.data?.error;
  if (typeof code === 'string' && GONE.has(code)) return;
  throw err;
}

/** Deletes the bot's messages and uploads for the job; returns whether an upload is left behind. */
async function removePosts(ctx: SlackContext, job: JobView, click: ButtonClick): Promise<{ fileLeft: boolean }> {
  const state = decodeReplyState(job.replyState);
  const channel = parseReplyTo(job.replyTo)?.channel ?? click.channel;
  // Every upload of the job: the video and its caption files.
  for (const file of state.fileIds ?? []) await ctx.client.files.delete({ file }).catch(goneOrThrow);
  const messages = new Set<string>();
  if (state.ts !== undefined) messages.add(state.ts);
  if (click.messageTs !== undefined && click.channel === channel) messages.add(click.messageTs);
  if (state.parentTs !== undefined) messages.add(state.parentTs);
  for (const ts of messages) await ctx.client.chat.delete({ channel, ts }).catch(goneOrThrow);
  return { fileLeft: state.uploaded === true && (state.fileIds ?? []).length === 0 };
}

interface DeleteAnswer {
  text: string;
  deleted: boolean;
}

const refused = (text: string): DeleteAnswer => ({ text: `:warning: ${text}`, deleted: false });

/** The private answer to one click. */
async function deleteAnswer(ctx: SlackContext, click: ButtonClick): Promise<DeleteAnswer> {
  const job = await ctx.core.jobs.get(click.jobId);
  if (job === null || job.platform !== PLATFORM) return refused(errorWords({ code: 'NOT_FOUND' }));
  if (job.requesterId !== click.user) return refused(errorWords({ code: 'NOT_ALLOWED', facts: { action: 'delete' } }));
  let removed: { fileLeft: boolean };
  try {
    removed = await removePosts(ctx, job, click);
  } catch (err) {
    ctx.logger.warn(
      { jobId: job.id, err: err instanceof Error ? err.message : String(err) },
      'slack delete: a message or file was not removed',
    );
    return refused(deleteFailedSentence());
  }
  await ctx.core.jobs.discard(job.id, click.user);
  ctx.logger.info({ jobId: job.id }, 'slack delete: messages removed and job discarded');
  return { text: `:wastebasket: ${deletedSentence(removed)}`, deleted: true };
}

/** Handles one Delete click after the ack; never throws. */
export async function handleDelete(ctx: SlackContext, click: ButtonClick): Promise<void> {
  let answer: DeleteAnswer;
  try {
    answer = await deleteAnswer(ctx, click);
  } catch (err) {
    const e = toAvatarError(err);
    ctx.logger.info({ code: e.code, jobId: click.jobId }, 'slack delete refused');
    answer = refused(errorWords(e));
  }
  await tellPrivately(ctx, click.channel, click.user, answer.text);
  if (answer.deleted) await ctx.home.publish(ctx.client, click.user);
}
