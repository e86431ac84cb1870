/**
 * Discord's part of starting a job (the rest is shared): where to answer, the reply state,
 * and the sentence shown instead when the job could not start.
 */
import { voiceFile, type JobView, type MediaInput } from '../../core/ports.js';
import { createJob, faceOrSaved } from '../shared/start-job.js';
import { PLATFORM, type BotContext } from './context.js';
import { encodeReplyState, type DiscordReplyState } from './replies/reply-state.js';
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
  const deps = { core: ctx.core, logger: ctx.logger, platform: PLATFORM };
  const image = await faceOrSaved(deps, ask.requesterId, ask.image);
  if (image === null) return { problem: WORDS.noFace };
  const outcome = await createJob(deps, {
    requesterId: ask.requesterId,
    groupId: ask.groupId,
    replyTo: formatReplyTo(ask.target),
    replyState: encodeReplyState(ask.state),
    image,
    speech: voiceFile(ask.audio),
  });
  // The core saves the prepared face as this person's last used one: nothing to do here.
  return 'job' in outcome ? outcome : { problem: `⚠️ ${errorWords(outcome.refused)}` };
}
