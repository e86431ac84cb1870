/**
 * The shared step of every entry point: resolve the face (given, or saved), ask the core for a
 * job, remember the given face as the person's saved face. Returns the job, or the sentence to
 * show instead.
 */
import { toAvatarError } from '../../core/errors.js';
import { voiceFile, type JobView, type MediaInput } from '../../core/ports.js';
import { PLATFORM, type BotContext } from './context.js';
import { bytesInput } from './download.js';
import { encodeReplyState, type DiscordReplyState } from './reply-state.js';
import { formatReplyTo, type DiscordTarget } from './reply-to.js';
import { errorWords, WORDS } from './words.js';

export interface JobAsk {
  requesterId: string;
  groupId: string;
  target: DiscordTarget;
  state: DiscordReplyState;
  /** null: use the saved face. */
  image: MediaInput | null;
  audio: MediaInput;
}

export type JobOutcome = { job: JobView } | { problem: string };

export async function startJob(ctx: BotContext, ask: JobAsk): Promise<JobOutcome> {
  let image = ask.image;
  if (image === null) {
    const face = await ctx.core.faces.get(PLATFORM, ask.requesterId);
    if (face === null) return { problem: WORDS.noFace };
    image = bytesInput(face, 'saved-face');
  }
  let job: JobView;
  try {
    job = await ctx.core.jobs.create({
      platform: PLATFORM,
      requesterId: ask.requesterId,
      groupId: ask.groupId,
      replyTo: formatReplyTo(ask.target),
      replyState: encodeReplyState(ask.state),
      image,
      speech: voiceFile(ask.audio),
    });
  } catch (err) {
    const e = toAvatarError(err);
    const level = e.code === 'INTERNAL' ? 'error' : 'info';
    ctx.logger[level]({ code: e.code, reason: e.reason, err: e.message }, 'discord: job refused');
    return { problem: `⚠️ ${errorWords(e)}` };
  }
  // The core saves the prepared face as this person's last used one: nothing to do here.
  return { job };
}
