/**
 * When the "final answer shown" flag was lost, answered() reads the message: a result card has
 * no content, so its words are read from its text displays.
 */
import type { REST } from 'discord.js';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createDiscordReply } from '../../../../src/bots/discord/replies/chat-reply.js';
import { encodeReplyState } from '../../../../src/bots/discord/replies/reply-state.js';
import { failedJob } from '../../shared/job-view.js';

function replyReading(message: unknown) {
  const rest = { get: async () => message } as unknown as REST;
  return createDiscordReply({ tokenTtlMs: 1, progressIntervalMs: 0 }, { rest, logger: pino({ level: 'silent' }) });
}

const job = failedJob({
  id: 'card-1',
  platform: 'discord',
  replyTo: 'discord:1:2:3',
  replyState: encodeReplyState({ v: 1, sizeLimit: 10, messageId: '9' }),
});

describe('answered() on a result card', () => {
  it('reads a card (V2, no content) as the final answer', async () => {
    const card = {
      content: '',
      flags: 1 << 15,
      components: [
        {
          type: 17,
          components: [
            { type: 10, content: '✅ **Your talking avatar is ready**' },
            { type: 12, items: [] },
          ],
        },
      ],
    };
    expect(await replyReading(card).answered?.(job)).toBe(true);
  });

  it('reads a progress message as not final', async () => {
    expect(await replyReading({ content: '⏳ Queued: starting soon.', components: [] }).answered?.(job)).toBe(false);
  });
});
