/**
 * Slack's part of starting a job (the face lookup, `create` and its log are shared): posts the
 * single progress message, creates the job with that message's ts as reply state, and turns
 * refusals into short words on that message.
 * (The core itself keeps the image used as the person's saved face.)
 * Typed text is spoken by the core inside `create` (a few seconds): the first message says the
 * voice is being made, and the core's progress then edits that same message.
 * When the core asks for consent to use the face (CONSENT_NEEDED), that message becomes the
 * question with a button, and the request waits in memory (listeners/actions/consent.ts).
 */
import { typedText, voiceFile, type JobView, type SpeechSource } from '../../core/ports.js';
import { createJob, faceOrSaved } from '../shared/start-job.js';
import { channelAllowed, CHANNEL_NOT_ALLOWED, mediaDeps, PLATFORM, type SlackContext } from './context.js';
import type { SlackFile } from './media/files.js';
import { slackMediaInput } from './media/slack-files.js';
import { consentMessage } from './consent-message.js';
import { errorMessage, errorWords, startingMessage, type SlackMessage } from './messages.js';
import { encodeReplyState } from './replies/reply-state.js';
import { formatReplyTo } from './reply-to.js';

export interface StartJobInput {
  team: string;
  channel: string;
  /** The thread's parent ts. */
  threadTs: string;
  user: string;
  /** What the face says: a voice clip, or typed text (already through spokenText). */
  speech: { clip: SlackFile } | { text: string };
  /** The face; undefined: use the saved face. */
  image: SlackFile | undefined;
  /** Where to say things that come before the job exists (e.g. "no face saved"). */
  notify: (text: string) => Promise<void>;
  /** The bot posted the thread's parent for this job (`/avatar say`): Delete removes it too. */
  ownParent?: boolean;
  /** True when the person just confirmed they may use the face (the consent button). */
  faceConsent?: boolean;
  /** The bot's message to reuse instead of posting one (the consent question, once clicked). */
  progressTs?: string;
}

function speechOf(speech: StartJobInput['speech'], deps: ReturnType<typeof mediaDeps>): SpeechSource {
  return 'clip' in speech ? voiceFile(slackMediaInput(speech.clip, 'audio', deps)) : typedText(speech.text);
}

/** Starts a job; answers every refusal itself. Returns the job, or null when none started. */
export async function startJob(ctx: SlackContext, input: StartJobInput): Promise<JobView | null> {
  const { client, logger } = ctx;
  if (!channelAllowed(ctx, input.channel)) {
    await input.notify(CHANNEL_NOT_ALLOWED);
    return null;
  }
  const deps = mediaDeps(ctx);
  const start = { core: ctx.core, logger, platform: PLATFORM };
  const given = input.image === undefined ? undefined : slackMediaInput(input.image, 'image', deps);
  const image = await faceOrSaved(start, input.user, given);
  if (image === null) {
    await input.notify(errorWords({ code: 'NO_FACE' }));
    return null;
  }

  const starting = startingMessage('clip' in input.speech ? 'clip' : 'text');
  const ts = await showStarting(ctx, input, starting);
  const parent = input.ownParent === true ? { parentTs: input.threadTs } : {};
  const replyState =
    ts === undefined && input.ownParent !== true ? undefined : encodeReplyState({ ...(ts === undefined ? {} : { ts }), ...parent });

  const outcome = await createJob(start, {
    requesterId: input.user,
    groupId: input.team,
    replyTo: formatReplyTo({
      team: input.team,
      channel: input.channel,
      threadTs: input.threadTs,
      ...(ctx.orgInstall === undefined ? {} : { enterprise: ctx.orgInstall }),
    }),
    ...(replyState === undefined ? {} : { replyState }),
    image,
    speech: speechOf(input.speech, deps),
    ...(input.faceConsent === true ? { faceConsent: true } : {}),
  });
  if ('job' in outcome) return outcome.job;

  const e = outcome.refused;
  let msg = errorMessage(null, e);
  if (e.code === 'CONSENT_NEEDED' && ts !== undefined) {
    // The face as found (the saved one included) is the one the confirmed run uses.
    const nonce = ctx.consentWaits.keep(input.user, { ...input, progressTs: ts });
    msg = consentMessage(e, nonce, input.user);
  }
  if (ts !== undefined) {
    await client.chat
      .update({ channel: input.channel, ts, text: msg.text, blocks: msg.blocks as never })
      .catch((updateErr: unknown) => logger.warn({ err: String(updateErr) }, 'slack refusal edit failed'));
  } else {
    await input.notify(msg.text);
  }
  return null;
}

/** Posts the "working on it" message in the thread, or turns the given one into it; its ts. */
async function showStarting(ctx: SlackContext, input: StartJobInput, starting: SlackMessage): Promise<string | undefined> {
  if (input.progressTs !== undefined) {
    const args = { channel: input.channel, ts: input.progressTs, text: starting.text, blocks: starting.blocks as never };
    await ctx.client.chat.update(args).catch((err: unknown) => ctx.logger.warn({ err: String(err) }, 'slack starting edit failed'));
    return input.progressTs;
  }
  const posted = await ctx.client.chat.postMessage({
    channel: input.channel,
    thread_ts: input.threadTs,
    text: starting.text,
    blocks: starting.blocks as never,
  });
  return typeof posted.ts === 'string' ? posted.ts : undefined;
}
