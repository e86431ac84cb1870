/** The ChatReply alone against the fake: throttled progress, the final answer always through. */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordReply } from '../../../../src/bots/discord/replies/chat-reply.js';
import { createRest } from '../../../../src/bots/discord/rest.js';
import { decodeReplyState, encodeReplyState } from '../../../../src/bots/discord/replies/reply-state.js';
import { formatReplyTo } from '../../../../src/bots/discord/reply-to.js';
import type { JobView } from '../../../../src/core/ports.js';
import { startFakeDiscord, type FakeDiscord } from '../../../fakes/discord/fake-discord.js';
import { messageJson } from '../../../fakes/discord/payloads.js';
import { contentOf } from '../world.js';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(async () => {
  await fake.close();
});

function jobView(id: string, replyState: string, replyTo: string): JobView {
  const t = Date.now();
  return {
    id,
    platform: 'discord',
    requesterId: '1',
    groupId: fake.guildId,
    replyTo,
    replyState,
    state: 'submitted',
    taskId: 't',
    taskStatus: 'IN_PROGRESS',
    fileUrl: null,
    outputDuration: null,
    audioSeconds: 1,
    errorCode: null,
    errorMessage: null,
    errorFacts: null,
    createdAt: t,
    updatedAt: t,
    submittedAt: t,
    finishedAt: null,
    etaAt: null,
    renderStartedAt: null,
    spokenText: null,
    discardedAt: null,
    captions: null,
    delivered: false,
    preview: false,
  };
}

describe('createDiscordReply', () => {
  it('holds progress edits inside the interval (the newest waits) but always sends the final answer at once', async () => {
    const rest = createRest({
      token: fake.token,
      apiUrl: fake.apiUrl,
      messageContent: false,
      tokenTtlMs: 1,
      allowedChannels: [],
      allowedRoles: [],
      shards: undefined,
    });
    const reply = createDiscordReply({ tokenTtlMs: 1, progressIntervalMs: 60_000 }, { rest, logger: pino({ level: 'silent' }) });
    const asked = fake.seedMessage(messageJson({ channelId: fake.channelId, guildId: fake.guildId, author: { id: '1', username: 'a' } }));
    const job = jobView(
      'job-throttle',
      encodeReplyState({ v: 1, sizeLimit: 10 }),
      formatReplyTo({ guildId: fake.guildId, channelId: fake.channelId, messageId: String(asked.id) }),
    );
    let state: string | undefined;
    for (let i = 0; i < 5; i++) {
      const s = await reply.progress(
        { ...job, replyState: typeof state === 'string' ? state : job.replyState },
        { state: 'rendering', elapsedMs: i * 100 },
      );
      if (typeof s === 'string') state = s;
    }
    const bot = () => fake.requests.filter((r) => r.path.startsWith(`/channels/${fake.channelId}/messages`) && r.method !== 'GET');
    expect(bot()).toHaveLength(1);
    const video = fake.addAttachment({ filename: 'out.mp4', contentType: 'video/mp4', bytes: new Uint8Array(100) });
    await reply.result(
      { ...job, replyState: typeof state === 'string' ? state : null, state: 'completed' },
      { fileUrl: String(video.url), outputDuration: 1, preview: true },
    );
    const sent = bot();
    expect(sent).toHaveLength(2);
    const last = sent[1];
    expect(last?.method).toBe('PATCH');
    expect(last && contentOf(last)).toContain(String(video.url));
    expect(last && contentOf(last)).toContain('Preview');
    // sizeLimit 10 bytes: the 100-byte video goes as a link only.
    expect(last?.files).toHaveLength(0);
    // A late progress after the result changes nothing.
    await reply.progress(job, { state: 'rendering', elapsedMs: 9 });
    expect(bot()).toHaveLength(2);
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  });

  it('answered(): false while only progress shows, true once the final answer is there (a fresh process reading the stored state)', async () => {
    const rest = createRest({
      token: fake.token,
      apiUrl: fake.apiUrl,
      messageContent: false,
      tokenTtlMs: 1,
      allowedChannels: [],
      allowedRoles: [],
      shards: undefined,
    });
    const first = createDiscordReply({ tokenTtlMs: 1, progressIntervalMs: 0 }, { rest, logger: pino({ level: 'silent' }) });
    const asked = fake.seedMessage(messageJson({ channelId: fake.channelId, guildId: fake.guildId, author: { id: '1', username: 'a' } }));
    const job = jobView(
      'job-answered',
      encodeReplyState({ v: 1, sizeLimit: 10 }),
      formatReplyTo({ guildId: fake.guildId, channelId: fake.channelId, messageId: String(asked.id) }),
    );
    // Nothing posted yet: nothing to find.
    expect(await first.answered?.(job)).toBe(false);
    const s = await first.progress(job, { state: 'rendering', elapsedMs: 1 });
    const withMessage = { ...job, replyState: typeof s === 'string' ? s : job.replyState };
    // Another process (a worker after a crash) knows only the stored replyState.
    const other = createDiscordReply({ tokenTtlMs: 1, progressIntervalMs: 0 }, { rest, logger: pino({ level: 'silent' }) });
    expect(await other.answered?.(withMessage)).toBe(false);
    const shown = await first.error({ ...withMessage, state: 'failed' }, { code: 'JOB_FAILED', message: 'x' });
    // The final answer is recorded in the state to store...
    expect(decodeReplyState(typeof shown === 'string' ? shown : null).final).toBe(true);
    // ...and without that state (the process died before storing it) the message itself tells.
    expect(await other.answered?.(withMessage)).toBe(true);
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  });
});
