/**
 * `/avatar [help | face | face clear | start]` (`history` has its own file): answered ephemerally in the ack itself
 * (everything it needs is local, so it fits the 3 s window). Slash commands carry no files,
 * so `start` explains how to start a job from a message (or with `/avatar say`).
 */
import { PLATFORM, type SlackContext } from '../../context.js';
import { errorWords, HELP_TEXT, quotaText } from '../../messages.js';

const START_TEXT = [
  'Slash commands cannot carry files, so start a video from a message:',
  '• mention me with an image and a voice clip (or record a clip in Slack), or with the words to say, or',
  '• use *More actions* (⋯) → *Make it talk* on a message with a voice clip or text (uses your saved face), or',
  '• `/avatar say <text>` speaks the text with your saved face.',
].join('\n');

/**
 * The answer to one `/avatar` invocation, followed by the person's remaining daily quota when
 * a quota is on (`team`: the workspace, whose own quota is shown too).
 */
async function avatarCommandText(ctx: SlackContext, user: string, text: string, now = Date.now(), team = ''): Promise<string> {
  const answer = await commandAnswer(ctx, user, text);
  const quota = quotaText(await ctx.core.quota(PLATFORM, user, team), now);
  return quota === null ? answer : `${answer}\n\n${quota}`;
}

async function commandAnswer(ctx: SlackContext, user: string, text: string): Promise<string> {
  const words = text
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  const [first, second] = words;
  if (first === 'face' && second === 'clear') {
    return (await ctx.core.faces.clear(PLATFORM, user)) ? 'Your saved face is forgotten.' : 'You had no saved face.';
  }
  if (first === 'face') {
    const face = await ctx.core.faces.get(PLATFORM, user);
    if (face === null) return 'You have no saved face. Mention me with an image and the word `face` to save one.';
    return `You have a saved face (${Math.max(1, Math.round(face.byteLength / 1024))} KB). It is used when you start a video without an image. \`/avatar face clear\` forgets it.`;
  }
  if (first === 'start' || first === 'new' || first === 'make') return START_TEXT;
  return HELP_TEXT;
}

/** Answers one `/avatar` invocation; a failure is logged and answered in words, never thrown. */
export async function handleAvatarCommand(
  ctx: SlackContext,
  command: { user_id: string; text?: string; team_id?: string },
): Promise<string> {
  try {
    return await avatarCommandText(ctx, command.user_id, command.text ?? '', Date.now(), command.team_id ?? '');
  } catch (err) {
    ctx.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'slack /avatar failed');
    return `:warning: ${errorWords({ code: 'INTERNAL' })}`;
  }
}
