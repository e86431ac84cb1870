/**
 * Slash commands. They carry no files, so `/avatar` answers in its ack (3 s is enough); only
 * `/avatar forget` may need longer (see forget.ts).
 */
import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { handleAvatarCommand } from './avatar.js';
import { answerForget, isForget } from './forget.js';

export function register(app: App, ctx: SlackContext): void {
  app.command('/avatar', async ({ command, ack, respond }) => {
    if (isForget(command.text)) {
      await answerForget(ctx, command.user_id, {
        ack: (text) => ack({ response_type: 'ephemeral', text }),
        later: async (text) => {
          await respond({ response_type: 'ephemeral', text });
        },
      });
      return;
    }
    await ack({ response_type: 'ephemeral', text: await handleAvatarCommand(ctx, command) });
  });
}
