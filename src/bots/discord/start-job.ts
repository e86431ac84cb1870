/**
 * Discord's part of starting a job (the rest is shared): where to answer, the reply state,
 * and the sentence shown instead when the job could not start. When the core asks for consent
 * to use the face (CONSENT_NEEDED), the request waits in memory and the sentence comes with a
 * button (buttons/consent.ts) that starts it again, confirmed.
 */
import type { APIActionRowComponent, APIButtonComponent } from 'discord.js';
import type { JobView, MediaInput, SpeechSource } from '../../core/ports.js';
import { createJob, faceOrSaved } from '../shared/start-job.js';
import { consentRow } from './buttons/consent-row.js';
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
  /** True when the person just confirmed they may use the face (the consent button). */
  faceConsent?: boolean;
}

export type JobOutcome = { job: JobView } | { problem: string; components?: APIActionRowComponent<APIButtonComponent>[] };

/** The message that replaces the progress line when a job did not start (its button, if any). */
export function problemMessage(outcome: { problem: string; components?: APIActionRowComponent<APIButtonComponent>[] }) {
  return { content: outcome.problem, components: outcome.components ?? [], allowedMentions: { parse: [] } };
}

export async function startJob(ctx: BotContext, ask: JobAsk): Promise<JobOutcome> {
  const deps = { core: ctx.core, logger: ctx.logger, platform: PLATFORM };
  const image = await faceOrSaved(deps, ask.requesterId, ask.image);
  if (image === null) return { problem: WORDS.noFace };
  // Not when the person will be asked about the face first: the question replaces the line at once
  // (asked only for typed text, so a voice note costs no extra store read).
  const before = ask.speech.kind === 'typed-text' ? ask.beforeSpeech : undefined;
  if (before !== undefined && (ask.faceConsent === true || !(await ctx.core.consent.needed(PLATFORM, ask.requesterId)))) {
    // Only a progress line: failing to show it must not cost the person their video.
    await before().catch((err: unknown) => {
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
    ...(ask.faceConsent === true ? { faceConsent: true } : {}),
  });
  // The core saves the prepared face as this person's last used one: nothing to do here.
  if ('job' in outcome) return outcome;
  if (outcome.refused.code === 'CONSENT_NEEDED') {
    // The face as found (the saved one included): the confirmed run uses exactly this one.
    const nonce = ctx.consentWaits.keep(ask.requesterId, { ...ask, image });
    return { problem: `🙋 ${errorWords(outcome.refused)}`, components: [consentRow(nonce, ask.requesterId)] };
  }
  return { problem: `⚠️ ${errorWords(outcome.refused)}` };
}
