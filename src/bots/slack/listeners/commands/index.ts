/** Slash commands. They carry no files, so `/avatar` answers in its ack (3 s is enough). */
import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { handleAvatarCommand } from './avatar.js';

export function register(app: App, ctx: SlackContext): void {
  app.command('/avatar', async ({ command, ack }) => {
    await ack({ response_type: 'ephemeral', text: await handleAvatarCommand(ctx, command) });
  });
}
