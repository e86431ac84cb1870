/**
 * `/avatar voice`: the voice menu, ephemeral (select a voice, ▶ Sample each); `/avatar voice
 * clear` forgets the choice. The first voice list may wait on the avatar service, so the menu
 * goes in the ack when it is ready in time and through the response_url otherwise.
 */
import { toAvatarError } from '../../../../core/errors.js';
import type { Voice } from '../../../../core/ports.js';
import { voiceClearedSentence, voiceShownSentence } from '../../../shared/words/voices.js';
import { PLATFORM, type SlackContext } from '../../context.js';
import { errorWords, SLACK_STYLE, type SlackMessage } from '../../messages.js';
import { voiceMenu } from '../../voice-menu.js';
import { answerSoon, type CommandAnswer } from './answer-soon.js';

/** The words after `voice`, or null when the command is not `/avatar voice …`. */
export function voiceArgs(text: string | undefined): string | null {
  const m = /^\s*voice(?:\s+(.*))?$/is.exec(text ?? '');
  return m === null ? null : (m[1] ?? '').trim().toLowerCase();
}

const WAITING: SlackMessage = { text: 'Fetching the voice list…', blocks: [] };

/** The voice typed text would use today when none is saved; null when the service lists none. */
async function fallbackVoice(ctx: SlackContext, user: string): Promise<Voice | null> {
  try {
    return await ctx.core.voices.choose(PLATFORM, user);
  } catch (err) {
    if (toAvatarError(err).code === 'UNKNOWN_VOICE') return null;
    throw err;
  }
}

async function menuFor(ctx: SlackContext, user: string): Promise<SlackMessage> {
  try {
    const voices = await ctx.core.voices.list();
    const saved = await ctx.core.voices.saved(PLATFORM, user);
    const current = saved ?? (await fallbackVoice(ctx, user));
    const header = voiceShownSentence(saved, current, SLACK_STYLE);
    if (voices.length === 0) return { text: header, blocks: [] };
    return voiceMenu(voices, current, header);
  } catch (err) {
    const e = toAvatarError(err);
    ctx.logger.info({ code: e.code, err: e.message }, 'slack /avatar voice: no voice list');
    return { text: `:warning: ${errorWords(e)}`, blocks: [] };
  }
}

export async function answerVoice(ctx: SlackContext, user: string, args: string, answer: CommandAnswer<SlackMessage>): Promise<void> {
  if (args === 'clear') {
    const had = await ctx.core.voices.clear(PLATFORM, user);
    await answer.ack({ text: voiceClearedSentence(had), blocks: [] });
    return;
  }
  await answerSoon(menuFor(ctx, user), WAITING, answer, ctx.logger);
}
