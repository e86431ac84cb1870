/**
 * The ChatReply where the bot token cannot post in the job's channel (not a member there, or no
 * permission): progress is dropped, the final answer goes to the person by DM, and the stored
 * state lets another process find that DM.
 */
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDiscordReply } from '../../../../src/bots/discord/replies/chat-reply.js';
import { decodeReplyState, encodeReplyState } from '../../../../src/bots/discord/replies/reply-state.js';
import { formatReplyTo } from '../../../../src/bots/discord/reply-to.js';
import { createRest } from '../../../../src/bots/discord/rest.js';
import type { JobView } from '../../../../src/core/ports.js';
import { startFakeDiscord, type FakeDiscord } from '../../../fakes/discord/fake-discord.js';
import { snowflake } from '../../../fakes/discord/payloads.js';
import { contentOf } from '../world.js';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(async () => {
  await fake.close();
});

function jobIn(channelId: string, requesterId: string): JobView {
  const t = Date.now();
  return {
    id: `job-${snowflake()}`,
    platform: 'discord',
    requesterId,
    groupId: '',
    replyTo: formatReplyTo({ guildId: snowflake(), channelId, messageId: undefined }),
    replyState: encodeReplyState({ v: 1, sizeLimit: 10 }),
    state: 'failed',
    taskId: 't',
    taskStatus: 'FAILED',
    fileUrl: null,
    outputDuration: null,
    audioSeconds: 1,
    errorCode: 'JOB_FAILED',
    errorMessage: 'No face detected in image',
    errorFacts: null,
    createdAt: t,
    updatedAt: t,
    submittedAt: t,
    finishedAt: t,
    etaAt: null,
    renderStartedAt: null,
    spokenText: null,
    discardedAt: null,
    captions: null,
    delivered: false,
    preview: false,
  };
}

it('a channel the bot cannot post in: no progress, the error (with the service’s reason) by DM, found again by another process', async () => {
  const rest = createRest({
    token: fake.token,
    apiUrl: fake.apiUrl,
    messageContent: false,
    tokenTtlMs: 1,
    allowedChannels: [],
    allowedRoles: [],
    shards: undefined,
  });
  const log = pino({ level: 'silent' });
  const reply = createDiscordReply({ tokenTtlMs: 1, progressIntervalMs: 0 }, { rest, logger: log });
  const channel = snowflake();
  const person = snowflake();
  const job = jobIn(channel, person);
  // Progress: the channel refuses (Unknown Channel); nothing goes by DM.
  const afterProgress = await reply.progress(job, { state: 'rendering', elapsedMs: 1 });
  expect(decodeReplyState(typeof afterProgress === 'string' ? afterProgress : null).reach).toBe('interaction');
  expect(fake.find('POST', /^\/users\/@me\/channels$/)).toHaveLength(0);
  const stored = typeof afterProgress === 'string' ? afterProgress : job.replyState;
  const shown = await reply.error({ ...job, replyState: stored }, { code: 'JOB_FAILED', message: 'No face detected in image' });
  const state = decodeReplyState(typeof shown === 'string' ? shown : null);
  expect(state).toMatchObject({ reach: 'interaction', final: true, dmChannelId: fake.dms.channels.get(person) });
  const dm = fake.find('POST', new RegExp(`^/channels/${state.dmChannelId}/messages$`));
  expect(dm).toHaveLength(1);
  expect(contentOf(dm[0] as never)).toContain('No face detected in image');
  // Only the one refused progress post reached the channel: the error never tried it.
  expect(fake.find('POST', new RegExp(`^/channels/${channel}/messages$`))).toHaveLength(1);
  // A process that died before storing "final" finds the DM and does not answer twice.
  const other = createDiscordReply({ tokenTtlMs: 1, progressIntervalMs: 0 }, { rest, logger: log });
  const withoutFinal = encodeReplyState({ ...state, final: false });
  expect(await other.answered?.({ ...job, replyState: withoutFinal })).toBe(true);
  reply.dispose();
  other.dispose();
  rest.clearHashSweeper();
  rest.clearHandlerSweeper();
});
