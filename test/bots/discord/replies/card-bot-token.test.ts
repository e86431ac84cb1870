/**
 * The result card through the bot token (the interaction token gone): posted as a channel
 * message replying to the original, with the preview note when the preview server made it.
 */
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDiscordReply } from '../../../../src/bots/discord/replies/chat-reply.js';
import { encodeReplyState } from '../../../../src/bots/discord/replies/reply-state.js';
import { formatReplyTo } from '../../../../src/bots/discord/reply-to.js';
import { createRest } from '../../../../src/bots/discord/rest.js';
import { startFakeDiscord, type FakeDiscord } from '../../../fakes/discord/fake-discord.js';
import { IS_COMPONENTS_V2 } from '../../../fakes/discord/forms.js';
import { messageJson, type Json } from '../../../fakes/discord/payloads.js';
import { handedResult } from '../../../helpers/handover.js';
import { failedJob } from '../../shared/job-view.js';
import { contentOf } from '../world.js';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(async () => {
  await fake.close();
});

it('posts the card with the bot token, replying to the original message; the preview note and the spoken text are on it', async () => {
  const rest = createRest({
    token: fake.token,
    apiUrl: fake.apiUrl,
    messageContent: false,
    tokenTtlMs: 1,
    allowedChannels: [],
    allowedRoles: [],
    shards: undefined,
  });
  const reply = createDiscordReply({ tokenTtlMs: 1, progressIntervalMs: 0 }, { rest, logger: pino({ level: 'silent' }) });
  const asked = fake.seedMessage(messageJson({ channelId: fake.channelId, guildId: fake.guildId, author: { id: '1', username: 'a' } }));
  const job = {
    ...failedJob({
      id: 'card-bot',
      platform: 'discord',
      replyTo: formatReplyTo({ guildId: fake.guildId, channelId: fake.channelId, messageId: String(asked.id) }),
      replyState: encodeReplyState({ v: 1, sizeLimit: 10 * 1024 * 1024 }),
    }),
    state: 'completed' as const,
    spokenText: 'x'.repeat(400),
  };
  await reply.result(job, await handedResult(job.id, { captions: null, preview: true }));
  const [post] = fake.find('POST', new RegExp(`^/channels/${fake.channelId}/messages$`));
  expect(post?.status).toBe(200);
  expect(post?.auth).toBe(`Bot ${fake.token}`);
  const body = post?.json as Json;
  expect(Number(body.flags) & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
  expect((body.message_reference as Json).message_id).toBe(asked.id);
  const words = post === undefined ? '' : contentOf(post);
  expect(words).toMatch(/preview/i);
  // 400 characters of spoken text are cut short with an ellipsis.
  expect(words).toMatch(/> x+…/);
  expect(words).not.toContain('x'.repeat(301));
  rest.clearHashSweeper();
  rest.clearHandlerSweeper();
});
