/**
 * Slash commands. `/avatar` answers most subcommands (and `history`, with blocks) in its ack (3 s is enough); `forget` and
 * `voice` may need longer (answer-soon.ts); `say` acks at once and speaks after (say.ts).
 */
import type { App } from '@slack/bolt';
import { toAvatarError } from '../../../../core/errors.js';
import { forEvent, type SlackContext } from '../../context.js';
import { errorWords, type SlackMessage } from '../../messages.js';
import { handleAvatarCommand } from './avatar.js';
import { answerForget, isForget } from './forget.js';
import { answerHistory, isHistory } from './history.js';
import { answerSay, sayText } from './say.js';
import { answerVoice, voiceArgs } from './voice.js';

/** An ephemeral answer; a message without blocks is sent as text only. */
function ephemeral(m: SlackMessage): { response_type: 'ephemeral'; text: string; blocks?: never } {
  return { response_type: 'ephemeral', text: m.text, ...(m.blocks.length === 0 ? {} : { blocks: m.blocks as never }) };
}

export function register(app: App, ctx: SlackContext): void {
  app.command('/avatar', async ({ command, ack, respond, client, context }) => {
    const failed = (err: unknown): string => {
      const e = toAvatarError(err);
      ctx.logger.error({ code: e.code, err: e.message }, 'slack /avatar failed');
      return `:warning: ${errorWords(e)}`;
    };
    if (isForget(command.text)) {
      await answerForget(ctx, command.user_id, {
        ack: (text) => ack({ response_type: 'ephemeral', text }),
        later: async (text) => {
          await respond({ response_type: 'ephemeral', text });
        },
      });
      // The Home tab listed the videos (links, words) that are now forgotten.
      await ctx.home.publish(forEvent(ctx, { client, context }).client, command.user_id);
      return;
    }
    const said = sayText(command.text);
    if (said !== null) {
      let acked = false;
      const later = async (text: string): Promise<void> => {
        await respond({ response_type: 'ephemeral', text }).catch((err: unknown) => {
          ctx.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'slack /avatar say: note not sent');
        });
      };
      try {
        const c = { team: command.team_id, channel: command.channel_id, user: command.user_id };
        await answerSay(forEvent(ctx, { client, context }), c, said, {
          ack: async (text) => {
            acked = true;
            await (text === undefined ? ack() : ack({ response_type: 'ephemeral', text }));
          },
          later,
        });
      } catch (err) {
        const text = failed(err);
        await (acked ? later(text) : ack({ response_type: 'ephemeral', text }));
      }
      return;
    }
    const voice = voiceArgs(command.text);
    if (voice !== null) {
      let acked = false;
      await answerVoice(ctx, command.user_id, voice, {
        ack: async (m) => {
          acked = true;
          await ack(ephemeral(m));
        },
        later: async (m) => {
          await respond(ephemeral(m));
        },
      }).catch(async (err: unknown) => {
        const text = failed(err);
        if (!acked) await ack({ response_type: 'ephemeral', text });
      });
      // `voice clear` changed what the Home tab shows.
      if (voice === 'clear') await ctx.home.publish(forEvent(ctx, { client, context }).client, command.user_id);
      return;
    }
    if (isHistory(command.text)) {
      await ack(ephemeral(await answerHistory(ctx, command.user_id, command.team_id)));
      return;
    }
    await ack({ response_type: 'ephemeral', text: await handleAvatarCommand(ctx, command) });
    // `face clear` changed what the Home tab shows.
    if (/^\s*face\s+clear\b/i.test(command.text)) await ctx.home.publish(forEvent(ctx, { client, context }).client, command.user_id);
  });
}
