/**
 * A choice in the `/avatar voice` menu (static or external select): saves it as the person's
 * voice (the core checks that the service lists it) and confirms privately, with the chosen
 * voice's Sample button.
 */
import { toAvatarError } from '../../../../core/errors.js';
import { field, text } from '../../../shared/json.js';
import { voiceSavedSentence } from '../../../shared/words/voices.js';
import { PLATFORM, type SlackContext } from '../../context.js';
import { errorWords, SLACK_STYLE, type SlackMessage } from '../../messages.js';
import { voiceChosenMessage } from '../../voice-menu.js';

export interface VoiceChoice {
  user: string;
  voiceId: string;
}

/** Narrows a select's block action; null without a user or a chosen option. */
export function readVoiceChoice(body: unknown, action: unknown): VoiceChoice | null {
  const user = text(field(field(body, 'user'), 'id'));
  const voiceId = text(field(field(action, 'selected_option'), 'value'));
  return user === undefined || voiceId === undefined ? null : { user, voiceId };
}

/** Saves the choice; answers through `reply` (the menu's response_url). Never throws. */
export async function handleVoiceChoice(ctx: SlackContext, choice: VoiceChoice, reply: (m: SlackMessage) => Promise<void>): Promise<void> {
  let answer: SlackMessage;
  try {
    const voice = await ctx.core.voices.save(PLATFORM, choice.user, choice.voiceId);
    answer = voiceChosenMessage(voice, voiceSavedSentence(voice, SLACK_STYLE));
  } catch (err) {
    const e = toAvatarError(err);
    ctx.logger.info({ code: e.code, voice: choice.voiceId }, 'slack voice choice refused');
    answer = { text: `:warning: ${errorWords(e)}`, blocks: [] };
  }
  await reply(answer).catch((err: unknown) => {
    ctx.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'slack voice choice: answer not sent');
  });
}
