/**
 * `/avatar say <text>`: speaks the text with the person's saved face (slash commands carry no
 * files). Refusals that need nothing but the text and the face (no words, too long, no face,
 * channel not allowed) go privately in the ack; otherwise the ack is empty and the bot posts a
 * visible message saying who asked for what, whose thread then holds the progress and the video,
 * as a mention's thread does. The ack never waits for the speech.
 */
import { AvatarError } from '../../../../core/errors.js';
import { spokenText } from '../../../shared/spoken-text.js';
import { channelAllowed, CHANNEL_NOT_ALLOWED, PLATFORM, type SlackContext } from '../../context.js';
import { errorWords, escapeMrkdwn } from '../../messages.js';
import { startJob } from '../../start-job.js';

/** The text after `say` as typed (case kept), or null when the command is not `/avatar say …`. */
export function sayText(text: string | undefined): string | null {
  const m = /^\s*say(?:\s+([\s\S]*))?$/i.exec(text ?? '');
  return m === null ? null : (m[1] ?? '');
}

export interface SayCommand {
  team: string;
  channel: string;
  user: string;
}

export interface SayAnswer {
  /** The acknowledgement: an ephemeral refusal, or nothing (the work goes on). */
  ack(text?: string): Promise<void>;
  /** A later ephemeral note (the command's response_url). */
  later(text: string): Promise<void>;
}

const USAGE = 'Type the words after `say`, for example `/avatar say Welcome to the team!` (I use your saved face).';
const QUOTE_MAX = 300;

/** How the visible message quotes the text: one line, cut short, mrkdwn escaped. */
function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const short = line.length > QUOTE_MAX ? `${line.slice(0, QUOTE_MAX - 1)}…` : line;
  return escapeMrkdwn(short);
}

/**
 * The refusal the ack can give at once, or null. The text is checked by the core's own rule
 * before anything is posted, so a text the core would refuse is never quoted in the channel.
 */
async function refusal(ctx: SlackContext, c: SayCommand, raw: string, said: string): Promise<string | null> {
  if (raw.trim() === '') return USAGE;
  try {
    ctx.core.checkText(said);
  } catch (err) {
    if (err instanceof AvatarError) return `:warning: ${errorWords(err)}`;
    throw err;
  }
  if (!channelAllowed(ctx, c.channel)) return CHANNEL_NOT_ALLOWED;
  if ((await ctx.core.faces.get(PLATFORM, c.user)) === null) return `:warning: ${errorWords({ code: 'NO_FACE' })}`;
  return null;
}

export async function answerSay(ctx: SlackContext, c: SayCommand, raw: string, answer: SayAnswer): Promise<void> {
  const said = spokenText(raw);
  const refused = await refusal(ctx, c, raw, said);
  if (refused !== null) {
    await answer.ack(refused);
    return;
  }
  await answer.ack();
  let parentTs: string | undefined;
  try {
    const posted = await ctx.client.chat.postMessage({ channel: c.channel, text: `<@${c.user}> asked me to say: “${quote(said)}”` });
    parentTs = typeof posted.ts === 'string' ? posted.ts : undefined;
  } catch (err) {
    ctx.logger.info({ err: err instanceof Error ? err.message : String(err) }, 'slack /avatar say: cannot post in the channel');
  }
  if (parentTs === undefined) {
    await answer.later(
      'I cannot post in this conversation. Invite me with `/invite @avatar`, or use `/avatar say` in a channel I am in (or in our direct messages).',
    );
    return;
  }
  await startJob(ctx, {
    team: c.team,
    channel: c.channel,
    threadTs: parentTs,
    user: c.user,
    speech: { text: said },
    image: undefined,
    notify: (text) => answer.later(text),
    ownParent: true,
  });
}
