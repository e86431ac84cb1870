/**
 * Options requests (`block_suggestion`) for external selects: today only the voice menu's, when
 * the voice list is longer than a static select may hold. Slack waits at most 3 s for the answer,
 * which comes from the core's cached list (empty on a failure: the menu then shows nothing).
 */
import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { VOICE_CHOOSE_ACTION, voiceOptions } from '../../voice-menu.js';

export function register(app: App, ctx: SlackContext): void {
  app.options(VOICE_CHOOSE_ACTION, async ({ ack, payload }) => {
    try {
      await ack({ options: voiceOptions(await ctx.core.voices.list(), payload.value) as never });
    } catch (err) {
      ctx.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'slack voice options failed');
      await ack({ options: [] });
    }
  });
}
