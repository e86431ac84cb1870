/**
 * Discord's part of starting a job (the rest is shared): where to answer, the reply state,
 * and the sentence shown instead when the job could not start.
 */
import type { JobView, MediaInput, SpeechSource } from '../../core/ports.js';
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
  speech: SpeechSource;
  /** The person's language (the interaction's locale): picks a default voice for typed text. */
  locale?: string;
  /**
   * Called once the face is found and before typed text is spoken (a few seconds), so the
   * person sees the step; not called for a voice note.
   */
  beforeSpeech?: () => Promise<void>;
}

export type JobOutcome = { job: JobView } | { problem: string };

export async function startJob(ctx: BotContext, ask: JobAsk): Promise<JobOutcome> {
  const deps = { core: ctx.core, logger: ctx.logger, platform: PLATFORM };
  const image = await faceOrSaved(deps, ask.requesterId, ask.image);
  if (image === null) return { problem: WORDS.noFace };
  if (ask.speech.kind === 'typed-text' && ask.beforeSpeech !== undefined) {
    // Only a progress line: failing to show it must not cost the person their video.
    await ask.beforeSpeech().catch((err: unknown) => {
      ctx.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'discord: could not show the making-the-voice line');
    });
  }
  const outcome = await createJob(deps, {
    requesterId: ask.requesterId,
    groupId: ask.groupId,
    replyTo: formatReplyTo(ask.target),
    replyState: encodeReplyState(ask.state),
    image,
    speech: ask.speech,
    ...(ask.locale !== undefined ? { locale: ask.locale } : {}),
  });
  // The core saves the prepared face as this person's last used one: nothing to do here.
  return 'job' in outcome ? outcome : { problem: `⚠️ ${errorWords(outcome.refused)}` };
}
