/**
 * "Final answer shown" is recorded in each chat adapter's reply state and read from there; the
 * platform is looked at only when the flag is missing (the attempt that showed the answer died
 * before its state was stored, or the state was written by an earlier version).
 */
import type { REST } from 'discord.js';
import type { webApi } from '@slack/bolt';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createDiscordReply } from '../../../src/bots/discord/replies/chat-reply.js';
import { decodeReplyState, encodeReplyState } from '../../../src/bots/discord/replies/reply-state.js';
import { createSlackChatReply } from '../../../src/bots/slack/replies/chat-reply.js';
import { errorMessage, isFinalMessage, progressMessage } from '../../../src/bots/slack/messages.js';
import { resultMessage } from '../../../src/bots/slack/replies/result-card.js';
import { decodeReplyState as decodeSlackState, encodeReplyState as encodeSlackState } from '../../../src/bots/slack/replies/reply-state.js';
import { failedJob } from './job-view.js';

const silent = pino({ level: 'silent' });
let platformReads = 0;
const unreachable = async (): Promise<never> => {
  platformReads += 1;
  throw new Error('the platform cannot be reached');
};

describe('Discord', () => {
  it('the codec keeps the flag, and a state without it reads as not final', () => {
    expect(decodeReplyState(encodeReplyState({ v: 1, sizeLimit: 10, messageId: '5', final: true })).final).toBe(true);
    expect(decodeReplyState(encodeReplyState({ v: 1, sizeLimit: 10, messageId: '5' })).final).toBeUndefined();
  });

  it('answered() trusts the recorded flag and looks at the platform only without it', async () => {
    const rest = { get: unreachable } as unknown as REST;
    const reply = createDiscordReply({ tokenTtlMs: 1, progressIntervalMs: 0 }, { rest, logger: silent });
    const replyTo = 'discord:1:2:3';
    platformReads = 0;
    const shown = failedJob({
      id: 'd1',
      platform: 'discord',
      replyTo,
      replyState: encodeReplyState({ v: 1, sizeLimit: 10, messageId: '9', final: true }),
    });
    expect(await reply.answered?.(shown)).toBe(true);
    expect(platformReads).toBe(0);
    const unknown = failedJob({
      id: 'd2',
      platform: 'discord',
      replyTo,
      replyState: encodeReplyState({ v: 1, sizeLimit: 10, messageId: '9' }),
    });
    expect(await reply.answered?.(unknown)).toBe(false);
    expect(platformReads).toBe(1);
  });
});

describe('Slack', () => {
  it('the codec keeps the flag', () => {
    expect(decodeSlackState(encodeSlackState({ ts: '1.2', final: true }))).toEqual({ ts: '1.2', final: true });
    expect(decodeSlackState(encodeSlackState({ ts: '1.2' }))).toEqual({ ts: '1.2' });
  });

  it('answered() trusts the recorded flag and looks at the platform only without it', async () => {
    const client = { conversations: { replies: unreachable } } as unknown as webApi.WebClient;
    const reply = createSlackChatReply({ uploadMaxBytes: 0 }, { client, logger: silent });
    const replyTo = 'slack:T1:C1:1700000000.000001';
    platformReads = 0;
    try {
      expect(
        await reply.answered?.(failedJob({ platform: 'slack', replyTo, replyState: encodeSlackState({ ts: '1.2', final: true }) })),
      ).toBe(true);
      expect(platformReads).toBe(0);
      expect(await reply.answered?.(failedJob({ platform: 'slack', replyTo, replyState: encodeSlackState({ ts: '1.2' }) }))).toBe(false);
      expect(platformReads).toBe(1);
    } finally {
      reply.dispose();
    }
  });

  it('a message read back is told final by the block id it was sent with, not by its words', () => {
    const job = failedJob({ platform: 'slack' });
    const progress = progressMessage(job, { state: 'rendering', elapsedMs: 1000 });
    const result = resultMessage(
      job,
      { fileUrl: 'https://example.invalid/v.mp4', outputDuration: 1, preview: false },
      { video: false, captions: false },
    );
    const error = errorMessage(job, { code: 'JOB_FAILED', message: 'x' });
    expect(isFinalMessage(progress)).toBe(false);
    expect(isFinalMessage(result)).toBe(true);
    expect(isFinalMessage(error)).toBe(true);
    // Wording does not decide when the block ids are there.
    expect(isFinalMessage({ ...progress, text: ':warning: looks final' })).toBe(false);
    expect(isFinalMessage({ ...result, text: 'plain words' })).toBe(true);
    // A message from an earlier version (no block ids): its leading emoji is all there is.
    expect(isFinalMessage({ text: ':white_check_mark: ready' })).toBe(true);
    expect(isFinalMessage({ text: ':clapper: Rendering…' })).toBe(false);
  });
});
